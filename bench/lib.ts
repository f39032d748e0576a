/** Small load-measuring helpers for the benchmarks: loopback HTTP only, bounded in count and time. */

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Runs `concurrency` clients, each issuing requests back to back, until `seconds` pass or `maxRequests` are sent. */
export async function load(opts: {
  concurrency: number;
  seconds: number;
  maxRequests: number;
  request: () => Promise<boolean>;
}): Promise<LoadResult> {
  const times: number[] = [];
  let errors = 0;
  let sent = 0;
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && sent < opts.maxRequests) {
      sent++;
      const t = performance.now();
      let ok = false;
      try {
        ok = await opts.request();
      } catch {
        ok = false;
      }
      times.push(performance.now() - t);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    errors,
    rps: Math.round(times.length / elapsed),
    p50_ms: Number(percentile(times, 50).toFixed(2)),
    p99_ms: Number(percentile(times, 99).toFixed(2)),
  };
}
