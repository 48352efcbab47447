import { accountObject } from '../accounts.js'
import type { Route } from '../router.js'
import { readExpand } from './helpers.js'

/** `GET /v1/account` and `GET /v1/balance`: the account's own singletons. */
export const accountRoutes: readonly Route[] = [
  {
    method: 'GET',
    template: '/v1/account',
    permission: 'rak_connected_account_read',
    handle: (context) => {
      const expand = readExpand(context, 'account', false)
      context.params.finish()
      return expand(accountObject(context.account.info))
    },
  },
  {
    method: 'GET',
    template: '/v1/balance',
    permission: 'rak_balance_read',
    handle: (context) => {
      const expand = readExpand(context, 'balance', false)
      context.params.finish()
      return expand(context.data.balance)
    },
  },
]
