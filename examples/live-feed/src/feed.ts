import type { AccountLogo, CashNotify, SaleEvent } from '@cashnotify/core'
import { type ChartsView, TodayCharts } from './charts.js'
import { SseHub } from './sse.js'
import { accountKey, DailyTotals } from './totals.js'
import { type SaleView, type Summary, saleView, summarize } from './views.js'

/** What the feed keeps: today's totals, the recent sales, the open streams. */
export interface SalesFeedOptions {
  readonly timeZone?: string | undefined
  readonly locale?: string | undefined
  readonly now?: (() => number) | undefined
  readonly recentSales: number
  readonly heartbeatMs?: number | undefined
  /** Sales within this many ms redraw the charts once. */
  readonly chartDebounceMs: number
}

/**
 * The live state behind the page: it listens to an instance's sales and accounts, keeps today's totals
 * and the last sales, and broadcasts each change to every open stream.
 */
export class SalesFeed {
  /** The open event streams. */
  readonly hub: SseHub
  readonly #cn: CashNotify
  readonly #totals: DailyTotals
  readonly #charts: TodayCharts
  readonly #recentSales: number
  /** Oldest first. */
  readonly #recent: SaleView[] = []
  /** Logos of accounts seen in sales, for accounts removed since. */
  readonly #seenLogos = new Map<string, AccountLogo>()
  #day: string

  constructor(cn: CashNotify, options: SalesFeedOptions) {
    this.#cn = cn
    this.#recentSales = options.recentSales
    this.#totals = new DailyTotals({
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      ...(options.locale === undefined ? {} : { locale: options.locale }),
      ...(options.now === undefined ? {} : { now: options.now }),
    })
    this.#day = this.#totals.today()
    this.#charts = new TodayCharts(this.#day, {
      timeZone: this.#totals.timeZone,
      locale: options.locale ?? 'en-US',
      debounceMs: options.chartDebounceMs,
      onChange: (view) => this.hub.broadcast({ event: 'chart', data: view }),
      onError: (error) => console.error('[live-feed] the chart could not be drawn:', error),
    })
    this.hub = new SseHub({
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      onHeartbeat: () => this.#checkDay(),
    })
    cn.on('sale', this.#onSale)
    cn.on('account.added', this.#onAccountsChanged)
    cn.on('account.removed', this.#onAccountsChanged)
    cn.on('account.status', this.#onAccountsChanged)
  }

  /** Today's summary, as the page gets it. */
  summary(): Summary {
    return summarize(this.#cn.accounts(), this.#totals.snapshot())
  }

  /** Today's charts, per currency, as last drawn. */
  charts(): ChartsView {
    return this.#charts.view()
  }

  /** The recent sales, oldest first. */
  recent(): readonly SaleView[] {
    return this.#recent
  }

  /** An account's logo by its `acct_…/mode` key, also for an account removed since it sold. */
  logo(key: string): AccountLogo | undefined {
    return this.#cn.account(key)?.logo ?? this.#seenLogos.get(key)
  }

  /** Stops listening and ends every stream. */
  close(): void {
    this.#cn.off('sale', this.#onSale)
    this.#cn.off('account.added', this.#onAccountsChanged)
    this.#cn.off('account.removed', this.#onAccountsChanged)
    this.#cn.off('account.status', this.#onAccountsChanged)
    this.#charts.close()
    this.hub.close()
  }

  readonly #onSale = (sale: SaleEvent): void => {
    // Counted once, and only if it is today's: the chart draws what the totals count.
    if (this.#totals.add(sale)) this.#charts.add(sale, this.#totals.today())
    this.#seenLogos.set(accountKey(sale.account), sale.account.logo)
    const view = saleView(sale)
    this.#recent.push(view)
    if (this.#recent.length > this.#recentSales)
      this.#recent.splice(0, this.#recent.length - this.#recentSales)
    this.hub.broadcast({ event: 'sale', data: { sale: view, summary: this.summary() } })
  }

  readonly #onAccountsChanged = (): void => this.hub.broadcast({ event: 'summary', data: this.summary() })

  /** At midnight the totals start again: tell the pages even if nothing sells. */
  #checkDay(): void {
    if (this.#totals.today() === this.#day) return
    this.#day = this.#totals.today()
    this.#charts.rollOver(this.#day)
    this.hub.broadcast({ event: 'summary', data: this.summary() })
  }
}
