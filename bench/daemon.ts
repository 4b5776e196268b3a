/**
 * Daemon benchmarks: pure plan over 1,000 targets, and a saved loom.yaml becoming visible in KV,
 * beside the raw KV put → watch latency measured in the same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { withDefaults } from "../daemon/src/config/load.js";
import { desiredState, plan, startDaemon } from "../daemon/src/index.js";
import { connectWarp, ensureKv, SPEC_BUCKET, silentLogger } from "../warp/src/index.js";
import { type BenchContext, type BenchRow, latencyRow, percentile, timeSeq } from "./lib.js";

function bigConfig(n: number, version: number) {
  return withDefaults({
    version: 1,
    project: "bench",
    boundaries: { personal: {} },
    targets: Array.from({ length: n }, (_, i) => ({
      name: `t-${i}`,
      agentType: "script",
      capabilities: ["echo"],
      boundaries: ["personal"],
      mechanism: "local" as const,
      local: { command: "node", args: [`v${i % 7 === 0 ? version : 0}`] },
    })),
  });
}

const yamlFor = (i: number) => `version: 1
project: bench
boundaries: { personal: {} }
targets:
  - { name: t, agentType: script, capabilities: [echo], boundaries: [personal], mechanism: local, local: { command: node, args: ["${i}"] } }
`;

/** Run the daemon benchmarks. */
export async function bench(ctx: BenchContext): Promise<BenchRow[]> {
  const desired = desiredState(bigConfig(1000, 2));
  const observed = new Map(
    [...desiredState(bigConfig(1000, 1))].map(([k, v], i) => [k, { value: v, revision: i + 1 }] as const),
  );
  const inventory = new Map([...observed.keys()].map((k) => [k, "x"] as const));
  const planMs = await timeSeq(50, async () => plan(desired, observed, inventory), 5);

  const nc = await connect({ servers: ctx.natsUrl });
  const raw = await new Kvm(nc).create("bench-raw");
  const floor: number[] = [];
  const w = await raw.watch({ key: "k" });
  const it = w[Symbol.asyncIterator]();
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await raw.put("k", String(i));
    await it.next();
    floor.push(performance.now() - t0);
  }
  w.stop();
  await nc.close();

  const dir = mkdtempSync(join(tmpdir(), "loomd-bench-"));
  const file = join(dir, "loom.yaml");
  writeFileSync(file, yamlFor(0));
  const d = await startDaemon({ file, log: silentLogger(), natsUrl: ctx.natsUrl });
  const warp = await connectWarp({ project: "bench", nats: { servers: ctx.natsUrl } });
  const kv = await ensureKv(warp.core.nc, SPEC_BUCKET);
  const saveToKv: number[] = [];
  for (let i = 1; i <= Math.max(10, Math.round(30 * ctx.scale)); i++) {
    const t0 = performance.now();
    writeFileSync(file, yamlFor(i));
    for (;;) {
      const e = await kv.get("targets.t");
      if (e?.string().includes(`"${i}"`)) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    saveToKv.push(performance.now() - t0);
  }
  await d.stop();
  await warp.close();
  rmSync(dir, { recursive: true, force: true });
  const f = `KV put→watch p50 ${percentile(floor, 50).toFixed(3)} ms`;
  return [
    latencyRow("raw KV put → watch", floor),
    latencyRow("plan(), 1,000 targets (pure)", planMs, {
      target: "< 50 ms",
      met: percentile(planMs, 50) < 50,
    }),
    latencyRow("loom.yaml saved → spec visible in KV (default 100 ms debounce)", saveToKv, {
      floor: f,
      target: "p50 < 250 ms",
      met: percentile(saveToKv, 50) < 250,
    }),
  ];
}
