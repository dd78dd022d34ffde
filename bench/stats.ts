/** Percentiles and small number helpers shared by the benchmark's reports. */

/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable
 * between processes on this machine (the generator stamps a send, another
 * process stamps the receive).
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface Distribution {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of finite samples; NaN (never arrived) is left out and counted by the caller. */
export function distribution(samples: ArrayLike<number>): Distribution {
  const finite = Float64Array.from(Array.prototype.filter.call(samples, Number.isFinite) as number[]).sort();
  const count = finite.length;
  if (count === 0) return { count, p50: NaN, p99: NaN, max: NaN, mean: NaN };
  const at = (p: number) => finite[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))]!;
  let sum = 0;
  for (const value of finite) sum += value;
  return { count, p50: at(50), p99: at(99), max: finite[count - 1]!, mean: sum / count };
}

export const round = (value: number, digits = 1): number => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : NaN);

export const ratio = (value: number, reference: number): number =>
  Number.isFinite(value) && Number.isFinite(reference) && reference > 0 ? value / reference : NaN;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
