/**
 * Shared benchmark helpers. Each area (`bench/messaging.ts`, `bench/work.ts`, `bench/daemon.ts`)
 * exports `bench(ctx): Promise<BenchRow[]>`; `bench/run.ts` runs them against one fresh nats-server
 * and prints one table, with the raw-NATS floor measured in the same run beside each figure.
 */
import { performance } from "node:perf_hooks";

/** One line of the results table. */
export interface BenchRow {
  /** What was measured, e.g. `send_message round trip (MCP)`. */
  name: string;
  /** How many operations were timed. */
  n: number;
  /** Median and tail latency in ms (omit for throughput rows). */
  p50Ms?: number;
  p99Ms?: number;
  /** Operations per second (throughput rows). */
  opsPerSec?: number;
  /** The matching raw-NATS floor measured in this run, e.g. `raw JetStream publish p50 0.21 ms`. */
  floor?: string;
  /** The target from the issue, e.g. `p50 ≤ 2 ms`, and whether it was met. */
  target?: string;
  met?: boolean;
}

/** What every bench gets. */
export interface BenchContext {
  /** URL of a fresh nats-server -js started for this run. */
  natsUrl: string;
  /** Scale factor (env BENCH_SCALE, default 1): use it to shorten runs in CI. */
  scale: number;
}

/** Time `n` sequential runs of `fn` (after `warmup` untimed runs); returns latencies in ms. */
export async function timeSeq(
  n: number,
  fn: (i: number) => Promise<unknown>,
  warmup = 20,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** The q-th percentile (0-100) of `xs`. */
export function percentile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((q / 100) * s.length) - 1));
  return s[idx] as number;
}

/** A latency row from samples. */
export function latencyRow(name: string, samples: number[], extra: Partial<BenchRow> = {}): BenchRow {
  return {
    name,
    n: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    ...extra,
  };
}

/** Render rows as a Markdown table (for the terminal and for docs/benchmarks.md). */
export function renderTable(rows: BenchRow[]): string {
  const fmt = (x: number | undefined, d = 2) => (x === undefined ? "" : x.toFixed(d));
  const lines = [
    "| benchmark | n | p50 ms | p99 ms | ops/s | raw NATS floor (same run) | target | met |",
    "|---|---:|---:|---:|---:|---|---|---|",
  ];
  for (const r of rows) {
    const met = r.met === undefined ? "" : r.met ? "yes" : "NO";
    lines.push(
      `| ${r.name} | ${r.n} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.opsPerSec, 0)} | ${r.floor ?? ""} | ${r.target ?? ""} | ${met} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Start `one()` `n` times, 50 at a time (a submitter keeping a queue fed). `fed()` says how many have
 * been started, so workers can tell when no more are coming; `done` resolves when all have finished.
 */
export function feedInBatches(
  n: number,
  one: () => Promise<unknown>,
): { done: Promise<void>; fed(): number } {
  let started = 0;
  const done = (async () => {
    while (started < n) {
      const batch = Math.min(50, n - started);
      started += batch;
      await Promise.all(Array.from({ length: batch }, one));
    }
  })();
  return { done, fed: () => started };
}
