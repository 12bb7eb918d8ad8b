// A growable list of measurements (milliseconds) and its percentiles, for latencies that need finer
// resolution than autocannon's whole-millisecond histogram.

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Measurements added one by one; percentiles by nearest rank over the sorted values. */
export class Samples {
  private values = new Float64Array(1024);
  private size = 0;

  add(value: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  get count(): number {
    return this.size;
  }

  /** p50, p99, p99.9 and max, rounded to 0.01 ms; zeros when there is no measurement. */
  percentiles(): Percentiles {
    const sorted = this.values.slice(0, this.size).sort();
    const at = (fraction: number): number => {
      if (sorted.length === 0) return 0;
      const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
      return Math.round(sorted[rank]! * 100) / 100;
    };
    return { count: this.size, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) };
  }
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
