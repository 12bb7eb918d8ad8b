// The broker's garbage collection over a run, from its GC log (-Xlog:gc with uptimes, kafka.sh's KAFKA_GC_LOG):
// every pause stops the broker's request handling, so a run with many shows it in each latency figure.

/** What the broker's GC log says about a run. */
export interface BrokerGc {
  pauses: number;
  /** All the pauses' time together. */
  pausedS: number;
  longestMs: number;
  /** The heap in use after the last pause, and the heap reserved then, in MB. */
  heapAfterMb: number;
  heapMb: number;
}

// [512.428s] GC(892) Pause Young (Normal) (G1 Evacuation Pause) 278M->264M(304M) 7.632ms
const pauseLine = /\bPause .*?(\d+)M->(\d+)M\((\d+)M\) ([\d.]+)ms$/;

/** Reads the pauses of a GC log's text; undefined when it holds none (no log, or a JVM that never paused). */
export function summarizeGcLog(text: string): BrokerGc | undefined {
  let pauses = 0;
  let pausedMs = 0;
  let longestMs = 0;
  let heapAfterMb = 0;
  let heapMb = 0;
  for (const line of text.split('\n')) {
    const match = pauseLine.exec(line.trim());
    if (!match) continue;
    const ms = Number(match[4]);
    pauses += 1;
    pausedMs += ms;
    longestMs = Math.max(longestMs, ms);
    heapAfterMb = Number(match[2]);
    heapMb = Number(match[3]);
  }
  if (pauses === 0) return undefined;
  return {
    pauses,
    pausedS: Math.round(pausedMs) / 1000,
    longestMs: Math.round(longestMs * 10) / 10,
    heapAfterMb,
    heapMb,
  };
}

/** One sentence for the results: "Broker GC over the run: …". */
export function describeBrokerGc(gc: BrokerGc): string {
  return (
    `Broker GC over the run: ${gc.pauses} pauses, ${gc.pausedS} s in all, the longest ${gc.longestMs} ms; ` +
    `${gc.heapAfterMb} MB of ${gc.heapMb} MB in use after the last.`
  );
}
