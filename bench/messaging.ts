/**
 * Messaging benchmarks through the real `warp` binary over stdio, beside raw NATS floors.
 */

import { execFileSync, spawn } from "node:child_process";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { startWarp, WARP_BIN } from "../test/harness/mcp.js";
import { connectWarp } from "../warp/src/index.js";
import { type BenchContext, type BenchRow, latencyRow, percentile, timeSeq } from "./lib.js";

/**
 * Spawn `warp` as an MCP client does and time spawn → `initialize` → `tools/list` answered. NATS is
 * pointed at a closed port: the tool list must not wait for it.
 */
async function startToToolsList(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [WARP_BIN], {
    stdio: ["pipe", "pipe", "ignore"],
    env: { PATH: process.env.PATH ?? "", NATS_URL: "nats://127.0.0.1:1", LOG_LEVEL: "error" },
  });
  const send = (msg: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...msg })}\n`);
  try {
    await new Promise<void>((done, fail) => {
      let buf = "";
      child.on("exit", (code) => fail(new Error(`warp exited (${code}) before answering tools/list`)));
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        for (;;) {
          const nl = buf.indexOf("\n");
          if (nl < 0) break;
          const msg = JSON.parse(buf.slice(0, nl)) as { id?: number };
          buf = buf.slice(nl + 1);
          if (msg.id === 1) {
            send({ method: "notifications/initialized" });
            send({ id: 2, method: "tools/list" });
          }
          if (msg.id === 2) done();
        }
      });
      send({
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "bench", version: "1" },
        },
      });
    });
    return performance.now() - t0;
  } finally {
    child.kill();
  }
}

/** Run the messaging benchmarks. */
export async function bench(ctx: BenchContext): Promise<BenchRow[]> {
  const nodeBare = percentile(
    await timeSeq(
      5,
      async () => {
        execFileSync(process.execPath, ["-e", ""]);
      },
      1,
    ),
    50,
  );
  const starts: number[] = [];
  for (let i = 0; i < 10; i++) starts.push(await startToToolsList());
  const n = Math.max(50, Math.round(500 * ctx.scale));
  const nc = await connect({ servers: ctx.natsUrl });
  nc.subscribe("bench.echo", {
    callback: (_e, m) => {
      m.respond(m.data);
    },
  });
  const rawReq = await timeSeq(n, () => nc.request("bench.echo", "x"));
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "BENCH_RAW", subjects: ["bench.raw"] });
  const js = jetstream(nc);
  const rawPub = await timeSeq(n, () => js.publish("bench.raw", "hello"));
  const floorReq = `core req/reply p50 ${percentile(rawReq, 50).toFixed(3)} ms`;
  const floorPub = `JetStream publish p50 ${percentile(rawPub, 50).toFixed(3)} ms`;

  const client = await startWarp({ NATS_URL: ctx.natsUrl, LOOM_PROJECT: "bench", WARP_HANDLE: "bencher" });
  const t0 = performance.now();
  await client.client.listTools();
  const listMs = performance.now() - t0;
  const send = await timeSeq(n, (i) => client.ok("send_message", { channel: "roadmap", message: `m${i}` }));
  const read = await timeSeq(Math.round(n / 5), () =>
    client.ok("read_messages", { channel: "roadmap", limit: 50 }),
  );
  const reg = await timeSeq(
    Math.round(n / 5),
    (i) => client.ok("register_agent", { agentType: "bench", handle: `b${i % 20}` }),
    5,
  );

  const w = await connectWarp({ project: "bench", nats: { servers: ctx.natsUrl } });
  const many = 1000;
  for (let i = 0; i < many; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        w.registry.register({
          handle: `fleet-${i + k}`,
          agentType: "script",
          capabilities: ["ts"],
          hostname: `h${(i + k) % 7}`,
        }),
      ),
    );
  }
  const disc = await timeSeq(Math.round(n / 5), () => client.ok("discover_agents", { capability: "ts" }), 5);
  const discAll = await timeSeq(
    Math.round(n / 10),
    () => client.ok("discover_agents", { capability: "ts", limit: 1000 }),
    3,
  );
  const t1 = performance.now();
  for (let i = 0; i < 20; i++)
    await w.registry.discover({ capability: "ts" }, { project: "bench", username: "x" });
  const libDisc = (performance.now() - t1) / 20;
  await client.close();
  await w.close();
  await nc.close();

  const p50 = (xs: number[]) => percentile(xs, 50);
  return [
    latencyRow("raw core request/reply", rawReq),
    latencyRow("raw JetStream publish", rawPub),
    latencyRow("warp spawn → tools/list answered, NATS unreachable", starts, {
      floor: `node -e "" ${nodeBare.toFixed(0)} ms`,
      target: "≤ 300 ms",
      met: percentile(starts, 50) <= 300,
    }),
    { name: "tools/list after connect (MCP stdio)", n: 1, p50Ms: listMs, p99Ms: listMs },
    latencyRow("send_message round trip (MCP stdio)", send, {
      floor: floorPub,
      target: "p50 ≤ 2 ms",
      met: p50(send) <= 2,
    }),
    latencyRow("read_messages of 50 (MCP stdio)", read, { floor: floorReq }),
    latencyRow("register_agent (MCP stdio)", reg, { floor: floorPub }),
    latencyRow(`discover_agents, ${many + 20} registered, default page of 100 (MCP stdio)`, disc, {
      floor: floorReq,
      target: "p50 < 20 ms",
      met: p50(disc) < 20,
    }),
    latencyRow(`discover_agents, ${many + 20} registered, all 1000 returned (MCP stdio)`, discAll, {
      floor: floorReq,
    }),
    { name: "registry.discover of 1000 (library, mean)", n: 20, p50Ms: libDisc },
  ];
}
