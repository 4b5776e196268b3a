/**
 * `npm run bench`: start one fresh nats-server -js, run every area's benchmark against it, print one
 * table. Each area measures its own raw-NATS floor in the same run.
 */
import { startNats } from "../test/harness/nats.js";
import { type BenchContext, type BenchRow, renderTable } from "./lib.js";

type BenchFn = (ctx: BenchContext) => Promise<BenchRow[]>;

const AREAS: Record<string, () => Promise<{ bench: BenchFn }>> = {
  messaging: () => import("./messaging.js"),
  work: () => import("./work.js"),
  daemon: () => import("./daemon.js"),
};

const only = process.argv.slice(2);
const scale = Number(process.env.BENCH_SCALE ?? "1");
const rows: BenchRow[] = [];
for (const [name, load] of Object.entries(AREAS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const nats = await startNats();
  try {
    process.stderr.write(`bench: ${name}...\n`);
    const mod = await load();
    rows.push(...(await mod.bench({ natsUrl: nats.url, scale })));
  } finally {
    await nats.dispose();
  }
}
console.log(renderTable(rows));
process.exit(0);
