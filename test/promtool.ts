// The real Prometheus tools for the tests: `promtool check metrics` on an exposition, and reading one sample's
// value from the text format. Missing tools fail the test with the install hint; nothing is skipped.
import { spawn } from 'node:child_process';

export const prometheusInstallHint =
  "promtool is missing: install Debian's prometheus package (apt-get install -y prometheus)";

/**
 * Runs `promtool check metrics` on `text` and resolves with what it reported ('' when the exposition is clean).
 * Rejects with the install hint when promtool is not on PATH.
 * @example assert.equal(await promtoolProblems(await (await fetch(`${url}/metrics`)).text()), '');
 */
export function promtoolProblems(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(prometheusInstallHint) : error),
    );
    child.once('close', (code) => resolve(code === 0 ? output.trim() : `exit ${code}: ${output.trim()}`));
    child.stdin.end(text);
  });
}

/**
 * The value of the sample `series` (name and labels exactly as exposed, e.g. `webshop_orders_accepted_total`
 * or `webshop_actor_events_processed_total{actor="payment",outcome="completed"}`), or undefined.
 */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
