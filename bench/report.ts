// The results of one run as markdown (the table, CPU use, machine, settings) and its JSON twin, written to
// bench/results/<date>.md and .json.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResults } from './bench-results.js';
import { describeBrokerGc } from './broker-gc.js';
import { latencyChart } from './latency-chart.js';
import { pipelineSections } from './pipeline-table.js';
import { resultRows } from './results-table.js';
import { tracingCostSection } from './tracing-cost.js';

/** The file name of a run's results, without extension: `<date>` or `<date>-quick`. */
const baseName = (results: BenchResults): string =>
  `${results.startedAt.slice(0, 10)}${results.mode === 'quick' ? '-quick' : ''}`;
const chartName = (results: BenchResults): string => `${baseName(results)}-latency.svg`;

/** The results as markdown: the table, the CPU each process used, the machine and the settings. */
export function renderMarkdown(results: BenchResults): string {
  const { machine, settings, loadAverage } = results;
  const cpu = Object.entries(results.cpu).map(([step, { machine: all = 0, ...ours }]) => {
    const used = Object.entries(ours).map(([label, cores]) => `${label} ${cores}`);
    const others = all - Object.values(ours).reduce((sum, cores) => sum + cores, 0);
    return `| ${step} | ${used.join(', ')} | ${Math.max(0, Math.round(others * 100) / 100)} | ${all} |`;
  });
  // A quick run's few seconds per step judge nothing: a cold JVM, a few thousand events.
  const quick = results.mode === 'quick';
  const rows = resultRows(results).map((cells) => (quick && cells[6] ? [...cells.slice(0, 6), 'not judged'] : cells));
  return [
    `# make bench, ${results.startedAt.slice(0, 10)} (${results.mode} run)`,
    '',
    ...(quick ? ['A quick run checks that every step works; its figures are rough and no target is judged.', ''] : []),
    '| step | figure | measured | ceiling (or floor) | ratio | target | |',
    '| ---- | ------ | -------: | ------------------ | ----: | ------ | - |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    ...tracingCostSection(results.tracingCost),
    `CPU used during each measured window, in cores of ${machine.cpus}; other processes on the machine compete too:`,
    '',
    '| window | our processes | other processes | whole machine |',
    '| ------ | ------------- | --------------: | ------------: |',
    ...cpu,
    '',
    ...pipelineSections(results, chartName(results)),
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node};`,
    `${machine.java}; ${machine.kafka}; ${machine.client} (librdkafka ${machine.librdkafka}); commit ${machine.commit};`,
    `load average ${loadAverage.atStart} at the start, ${loadAverage.atEnd} at the end.`,
    ...(results.brokerGc ? [describeBrokerGc(results.brokerGc)] : []),
    '',
    `Settings: ${Object.entries(settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}.`,
    '',
  ].join('\n');
}
/**
 * Writes `<date>[-quick].md`, `.json` and the latency chart `-latency.svg` (which the markdown embeds) into
 * `directory`; returns the markdown file's path.
 */
export async function writeResults(directory: string, results: BenchResults, markdown: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const base = join(directory, baseName(results));
  const title = `make bench ${results.startedAt.slice(0, 10)}, ${results.mode} run: capacity ${results.pipeline.ordersPerS} orders/s`;
  await writeFile(join(directory, chartName(results)), await latencyChart(results.pipeline, title));
  await writeFile(`${base}.json.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(`${base}.md.tmp`, markdown);
  await rename(`${base}.json.tmp`, `${base}.json`);
  await rename(`${base}.md.tmp`, `${base}.md`);
  return `${base}.md`;
}
