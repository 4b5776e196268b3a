/**
 * Work-pipeline benchmarks beside the raw JetStream handoff (publish, pull, ack) measured in this run.
 */

import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { connectWarp, type Warp } from "../warp/src/index.js";
import { type BenchContext, type BenchRow, feedInBatches, latencyRow, percentile, timeSeq } from "./lib.js";

async function rawHandoff(url: string, n: number): Promise<number[]> {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "BENCH_WQ", subjects: ["bwq.>"], retention: "workqueue" as never });
  await jsm.consumers.add("BENCH_WQ", {
    durable_name: "c",
    filter_subject: "bwq.a",
    ack_policy: AckPolicy.Explicit,
  });
  const js = jetstream(nc);
  const out = await timeSeq(n, async () => {
    await js.publish("bwq.a", "item");
    const m = await nc.request(
      "$JS.API.CONSUMER.MSG.NEXT.BENCH_WQ.c",
      JSON.stringify({ batch: 1, no_wait: true }),
      { noMux: true, timeout: 5000 },
    );
    if (m.reply) await nc.request(m.reply, "+ACK");
  });
  await nc.close();
  return out;
}

/** The same shape of run with bare JetStream: one publisher, `workers` pullers that ack each message. */
async function rawThroughput(url: string, items: number, workers: number): Promise<number> {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "BENCH_TPUT", subjects: ["btp.>"], retention: "workqueue" as never });
  await jsm.consumers.add("BENCH_TPUT", { durable_name: "c", ack_policy: AckPolicy.Explicit });
  const pullers = await Promise.all(Array.from({ length: workers }, () => connect({ servers: url })));
  const js = jetstream(nc);
  const t0 = performance.now();
  let done = 0;
  const pub = feedInBatches(items, () => js.publish("btp.a", "item"));
  await Promise.all(
    pullers.map(async (c) => {
      while (done < items) {
        const m = await c.request(
          "$JS.API.CONSUMER.MSG.NEXT.BENCH_TPUT.c",
          JSON.stringify({ batch: 1, expires: 200_000_000 }),
          { noMux: true, timeout: 5000 },
        );
        if (!m.reply || (m.headers?.code ?? 0) !== 0) {
          if (pub.fed() >= items) break;
          continue;
        }
        await c.request(m.reply, "+ACK");
        done++;
      }
    }),
  );
  await pub.done;
  const rate = done / ((performance.now() - t0) / 1000);
  await Promise.all([nc.close(), ...pullers.map((c) => c.close())]);
  return rate;
}

async function throughput(url: string, items: number, workers: number): Promise<number> {
  const submitter = await connectWarp({ project: "tput", nats: { servers: url } });
  const ws: Warp[] = await Promise.all(
    Array.from({ length: workers }, () => connectWarp({ project: "tput", nats: { servers: url } })),
  );
  await submitter.work.submit({ description: "warm", capability: "echo", boundary: "personal" });
  const t0 = performance.now();
  let done = 0;
  const submit = feedInBatches(items, () =>
    submitter.work.submit({ description: "x", capability: "echo", boundary: "personal" }),
  );
  await Promise.all(
    ws.map(async (w, k) => {
      const me = { guid: `w${k}`, agentType: "script", capabilities: ["echo"], boundaries: ["personal"] };
      while (done < items + 1) {
        const it = await w.work.claim(me, { timeoutMs: 200 });
        if (!it) {
          if (submit.fed() >= items) break;
          continue;
        }
        await w.work.complete(me.guid, it.id, { summary: "ok" });
        done++;
      }
    }),
  );
  await submit.done;
  const secs = (performance.now() - t0) / 1000;
  await Promise.all([submitter.close(), ...ws.map((w) => w.close())]);
  return done / secs;
}

/** The same run with each worker in its own process, as agents are; the submitter is this process. */
async function throughputProcesses(url: string, items: number, workers: number): Promise<number> {
  const project = "tput-procs";
  const script = resolve(import.meta.dirname, "worker.ts");
  let done = 0;
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, ["--import", "tsx", script, url, project], {
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((ready) => {
          c.stdout.on("data", (b: Buffer) => {
            const text = b.toString();
            if (text.includes("ready")) ready();
            for (const ch of text) if (ch === ".") done++;
          });
        }),
    ),
  );
  const submitter = await connectWarp({ project, nats: { servers: url } });
  const t0 = performance.now();
  await feedInBatches(items, () =>
    submitter.work.submit({ description: "x", capability: "echo", boundary: "personal" }),
  ).done;
  while (done < items) await new Promise((r) => setTimeout(r, 5));
  const rate = items / ((performance.now() - t0) / 1000);
  for (const c of children) c.stdin.end();
  await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
  await submitter.close();
  return rate;
}

/**
 * A mostly idle fleet: `waiters` claimers wait for work; items arrive one at a time. Returns the
 * submit → claimed latencies and the messages the claimers sent per item (their cost to the server).
 */
async function idleFleet(
  url: string,
  items: number,
  waiters: number,
): Promise<{ lat: number[]; msgs: number }> {
  const project = "idle";
  const submitter = await connectWarp({ project, nats: { servers: url } });
  const ws = await Promise.all(
    Array.from({ length: waiters }, () => connectWarp({ project, nats: { servers: url } })),
  );
  const submittedAt = new Map<string, number>();
  const lat: number[] = [];
  let stop = false;
  const loops = ws.map(async (w, k) => {
    const me = { guid: `idle${k}`, agentType: "script", capabilities: ["echo"], boundaries: ["personal"] };
    while (!stop) {
      const it = await w.work.claim(me, { timeoutMs: 1_000 });
      if (!it) continue;
      lat.push(performance.now() - (submittedAt.get(it.id) ?? performance.now()));
      await w.work.complete(me.guid, it.id, { summary: "ok" });
    }
  });
  await new Promise((r) => setTimeout(r, 1_500)); // all waiting
  const sent = () => ws.reduce((n, w) => n + w.core.nc.stats().outMsgs, 0);
  const before = sent();
  for (let i = 0; i < items; i++) {
    const t = performance.now();
    const { item } = await submitter.work.submit({
      description: "x",
      capability: "echo",
      boundary: "personal",
    });
    submittedAt.set(item.id, t);
    await new Promise((r) => setTimeout(r, 40));
  }
  while (lat.length < items) await new Promise((r) => setTimeout(r, 10));
  const msgs = (sent() - before) / items;
  stop = true;
  await Promise.all(loops);
  await Promise.all([submitter.close(), ...ws.map((w) => w.close())]);
  return { lat, msgs };
}

/** Run the work benchmarks. */
export async function bench(ctx: BenchContext): Promise<BenchRow[]> {
  const n = Math.max(50, Math.round(500 * ctx.scale));
  const raw = await rawHandoff(ctx.natsUrl, n);
  const w = await connectWarp({ project: "lat", nats: { servers: ctx.natsUrl } });
  const me = { guid: "lat", agentType: "script", capabilities: ["echo"], boundaries: ["personal"] };
  const lat = await timeSeq(n, async () => {
    const { item } = await w.work.submit({ description: "x", capability: "echo", boundary: "personal" });
    const got = await w.work.claim(me);
    if (got?.id !== item.id) throw new Error("claimed the wrong item");
    await w.work.complete(me.guid, item.id, { summary: "ok" });
  });
  const claimOnly: number[] = [];
  await timeSeq(
    n,
    async () => {
      await w.work.submit({ description: "x", capability: "echo", boundary: "personal" });
      const t0 = performance.now();
      const got = await w.work.claim(me);
      claimOnly.push(performance.now() - t0);
      if (got) await w.work.complete(me.guid, got.id, { summary: "ok" });
    },
    0,
  );
  await w.close();
  const items = Math.max(500, Math.round(4000 * ctx.scale));
  const rawTput = await rawThroughput(ctx.natsUrl, items, 8);
  const tput = await throughput(ctx.natsUrl, items, 8);
  const tputProcs = await throughputProcesses(ctx.natsUrl, items, 8);
  const idle = await idleFleet(ctx.natsUrl, Math.max(20, Math.round(100 * ctx.scale)), 20);
  const rawP50 = percentile(raw, 50);
  const floor = `raw handoff p50 ${rawP50.toFixed(3)} ms`;
  return [
    latencyRow("raw JetStream handoff (publish, pull, ack)", raw),
    latencyRow("submit → claim → complete, sequential", lat, {
      floor,
      target: "submit→claim ≤ 3× raw",
      met: percentile(lat, 50) <= 3 * rawP50,
    }),
    latencyRow("claim call alone (item already queued)", claimOnly.length ? claimOnly : [0], { floor }),
    latencyRow(
      `submit → claimed, 20 idle claimers waiting (they send ${idle.msgs.toFixed(1)} msgs per item)`,
      idle.lat,
      { floor },
    ),
    { name: "raw JetStream throughput (publish, pull, ack), 8 pullers", n: items, opsPerSec: rawTput },
    {
      name: "throughput submit+claim+complete, 8 workers",
      n: items,
      floor: `raw ${Math.round(rawTput)} msgs/s`,
      opsPerSec: tput,
      target: "≥ 2,000 items/s",
      met: tput >= 2000,
    },
    {
      name: "throughput submit+claim+complete, 8 worker processes",
      n: items,
      floor: `raw ${Math.round(rawTput)} msgs/s`,
      opsPerSec: tputProcs,
    },
  ];
}
