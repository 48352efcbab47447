/** `@cashnotify/redis/testing`: a real redis-server for the tests of every package that runs clustered. */
export { type RedisServer, type RedisServerOptions, startRedisServer } from './redis-server.js'
