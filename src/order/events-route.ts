// GET /events: the live page's Server-Sent Events feed of the status table: a snapshot of the newest orders and
// the dead-letter count, then one event per change and a heartbeat; a client that stops reading is cut off.
import type Router from '@koa/router';
import type { DeadLetterCount } from './dead-letter-count.js';
import type { StatusTable } from './status-table.js';

export interface LiveFeedDeps {
  table: StatusTable;
  /** The dead letters read so far; absent: the feed says 0 and never changes it. */
  deadLetters?: DeadLetterCount;
  /** How often a heartbeat comment keeps proxies and the browser from closing an idle stream. */
  heartbeatMs?: number;
}

/** How many of the newest orders the snapshot carries. */
export const snapshotOrders = 50;
const defaultHeartbeatMs = 15000;
// Unsent bytes one connection may hold: past it the stream ends (the browser's EventSource reconnects and gets a
// fresh snapshot), so a slow client costs a bounded amount of memory instead of every change since it stalled.
const maxUnsentBytes = 256 * 1024;

/**
 * Adds GET /events to `router`: `snapshot` ({ orders, deadLetters }), then `order` (a status record) and
 * `dead-letters` ({ count }) events as they happen.
 * @example eventsRoute(router, { table: feed.table, deadLetters: feed.deadLetters });
 */
export function eventsRoute(router: Router, deps: LiveFeedDeps): void {
  const { table, deadLetters } = deps;
  router.get('/events', (ctx) => {
    // Written to the response itself: Koa's stream piping would report every closed tab as an error.
    const { res } = ctx;
    ctx.respond = false;
    ctx.status = 200;
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-cache');
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    res.flushHeaders();

    const stops: (() => void)[] = [];
    const close = (): void => {
      for (const stop of stops.splice(0)) stop();
      res.end();
    };
    const send = (text: string): void => {
      if (res.writableEnded) return;
      if (res.writableLength > maxUnsentBytes) return close();
      res.write(text);
    };
    const event = (name: string, data: unknown): void => send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

    send('retry: 2000\n\n');
    event('snapshot', { orders: table.newest(snapshotOrders), deadLetters: deadLetters?.count() ?? 0 });
    stops.push(table.onChange((record) => event('order', record)));
    if (deadLetters) stops.push(deadLetters.onChange((count) => event('dead-letters', { count })));
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), deps.heartbeatMs ?? defaultHeartbeatMs);
    stops.push(() => clearInterval(heartbeat));
    stops.push(table.onRelease(close));
    // The response's close, not the request's: it comes when the client goes or the stream ends.
    res.once('close', close);
  });
}
