/** One measured figure, as printed and as written to bench-results/bench.json. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

/** The p-th percentile of ascending-sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Wall-clock milliseconds that `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Ascending copy, for percentile(). */
export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
