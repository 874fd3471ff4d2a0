/**
 * Tiny benchmark harness. Runs a body several times and reports the median, because this machine
 * has 2 shared cores and single runs are noisy. Benchmarks print figures; they never assert.
 */
export interface BenchResult {
  name: string;
  /** median wall time of one run, in milliseconds */
  medianMs: number;
  runs: number;
  /** operations per run, when the body does many (e.g. verifications) */
  opsPerRun?: number;
  /** median throughput in operations per second, when opsPerRun is given */
  opsPerSec?: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export async function measure(
  name: string,
  body: () => unknown | Promise<unknown>,
  opts: { runs?: number; warmup?: number; opsPerRun?: number } = {},
): Promise<BenchResult> {
  const runs = opts.runs ?? 7;
  for (let i = 0; i < (opts.warmup ?? 1); i++) await body();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await body();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const medianMs = median(times);
  const result: BenchResult = { name, medianMs, runs };
  if (opts.opsPerRun) {
    result.opsPerRun = opts.opsPerRun;
    result.opsPerSec = (opts.opsPerRun * 1000) / medianMs;
  }
  return result;
}

export function printResults(title: string, results: BenchResult[]): void {
  console.log(`\n## ${title}`);
  for (const r of results) {
    const rate = r.opsPerSec !== undefined ? `  ${r.opsPerSec.toFixed(0)} ops/s` : "";
    console.log(`${r.name.padEnd(60)} median ${r.medianMs.toFixed(3)} ms (${r.runs} runs)${rate}`);
  }
}
