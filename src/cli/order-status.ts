// Reading an order's status from the OrderService's API, for `make order` (its last line) and `make status`.

/** What GET /orders/:id answered: the HTTP status and the JSON body. */
export interface StatusAnswer {
  code: number;
  body: Record<string, unknown>;
}

/**
 * GET /orders/:id on the service at `base`; with `waitMs`, waits there (not here) for the terminal status.
 * @example const { code, body } = await fetchStatus('http://127.0.0.1:5001', 'o-1', 5000);
 */
export async function fetchStatus(base: string, orderId: string, waitMs?: number): Promise<StatusAnswer> {
  const query = waitMs === undefined ? '' : `?wait=terminal&timeout=${waitMs}`;
  const response = await fetch(`${base}/orders/${encodeURIComponent(orderId)}${query}`);
  return { code: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * One line for a terminal: `status o-1: shipped (3 events)`, or the answer when there is no record.
 * @example statusLine('o-1', { code: 202, body: { status: 'accepted' } }) // 'status o-1: 202 accepted, not projected yet'
 */
export function statusLine(orderId: string, { code, body }: StatusAnswer): string {
  if (code !== 200)
    return `status ${orderId}: ${code} ${String(body.status === 'accepted' ? 'accepted, not projected yet' : body.message)}`;
  const events = Array.isArray(body.history) ? body.history.length : 0;
  return `status ${orderId}: ${String(body.status)} (${events} event${events === 1 ? '' : 's'})`;
}
