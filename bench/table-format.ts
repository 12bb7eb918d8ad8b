// How the results table writes its figures: counts, milliseconds, percentile triples, ratios and verdicts.
import type { LoadResult } from './order-load.js';
import type { Percentiles } from './samples.js';

export const number = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
/** Two significant decimals under 10, one under 100, none above. */
export const rounded = (value: number): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : value < 100 ? 1 : 0 });
export const ms = (value: number): string => `${rounded(value)} ms`;
export const triple = ({ p50, p99, p999 }: Percentiles): string =>
  `${rounded(p50)} / ${rounded(p99)} / ${rounded(p999)} ms`;
export const share = (value: number, ceiling: number): string =>
  ceiling > 0 ? `${Math.round((value / ceiling) * 100)}%` : '-';
export const times = (value: number, floor: number): string => (floor > 0 ? `×${rounded(value / floor)}` : '-');
export const verdict = (met: boolean): string => (met ? '✓ met' : '✗ not met');

export function otherAnswers(load: LoadResult): string {
  const others = Object.entries(load.statuses).filter(([status]) => status !== '201');
  const failures = [
    ...others.map(([status, count]) => `${status}: ${number(count)}`),
    ...(load.errors > 0 ? [`no answer: ${number(load.errors)} (${number(load.timeouts)} timeouts)`] : []),
    ...(load.missed ? [`not sent: ${number(load.missed)}`] : []),
  ];
  return failures.length > 0 ? failures.join(', ') : 'none';
}
