// Where a service's CPU time went: reads V8 CPU profiles (`make bench` with `--profile` writes one per
// process) and prints self time by package or file, then the hottest functions. Usage: profile-summary.ts FILE...
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MeasuredWindow } from './measured-windows.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package, Node internal area or project file a function belongs to. */
function areaOf({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.startsWith('node:')) return url.split('/')[0] === 'node:internal' ? 'node:internal' : url;
  const project = /\/(dist|src|bench)\/(.+)$/.exec(url);
  return project ? `${project[1]}/${project[2]}` : url;
}

function top(totals: Map<string, number>, all: number, count: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, micros]) =>
        `  ${((micros / all) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
}

/** The measured window of the profile's process, from the windows.json the harness writes next to it. */
function windowOf(file: string): MeasuredWindow | undefined {
  const windowsFile = join(dirname(file), 'windows.json');
  if (!existsSync(windowsFile)) return undefined;
  const windows = JSON.parse(readFileSync(windowsFile, 'utf8')) as Record<string, MeasuredWindow>;
  return windows[basename(file, '.cpuprofile')];
}

/** Self time of the samples in the measured window (whole run when there is none), by area and by function. */
export function summarizeProfile(file: string, count = 15): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const window = windowOf(file);
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let all = 0;
  let idle = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    at += micros;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    all += micros;
    const area = areaOf(frame);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'} ${area}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  });
  const busy = ((all / (all + idle || 1)) * 100).toFixed(0);
  return [
    `${basename(file)}: JS thread busy ${(all / 1e6).toFixed(1)} s, ${busy}% of ${window ? 'the measured window' : 'its run'} (wall-clock samples: include waiting for a CPU)`,
    ' by package or file:',
    ...top(byArea, all, 10),
    ' hottest functions (self time):',
    ...top(byFunction, all, count),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) process.stdout.write(`${summarizeProfile(file)}\n\n`);
}
