import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWarp, startJanitor, type Warp } from "../../warp/src/index.js";
import { eventually } from "../../warp/test/helpers.js";
import { type AgentProcess, spawnEchoAgent } from "../harness/agents.js";
import { startNats, type TestNats } from "../harness/nats.js";

describe("work pipeline under faults", () => {
  let nats: TestNats;
  const agents: AgentProcess[] = [];
  const warps: Warp[] = [];
  const connect = async (project: string) => {
    const w = await connectWarp({ project, nats: { servers: nats.url }, heartbeatMs: 300 });
    warps.push(w);
    return w;
  };
  const agent = (project: string, extra: Record<string, string> = {}) => {
    const a = spawnEchoAgent({
      NATS_URL: nats.url,
      LOOM_PROJECT: project,
      ECHO_HEARTBEAT_MS: "300",
      ...extra,
    });
    agents.push(a);
    return a;
  };
  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    for (const a of agents) a.child.kill("SIGKILL");
    for (const w of warps) await w.close().catch(() => undefined);
    await nats.dispose();
  });

  it("redoes the item of a claimer SIGKILLed while holding it", async () => {
    const w = await connect("kill");
    const janitor = startJanitor({ core: w.core, pipeline: w.work, registry: w.registry, intervalMs: 200 });
    try {
      const { item } = await w.work.submit({ description: "slow", capability: "echo", boundary: "personal" });
      const slow = agent("kill", { ECHO_DELAY_MS: "60000" });
      await eventually(async () => (await w.work.get(item.id))?.status === "in-progress", 10_000);
      slow.child.kill("SIGKILL");
      const rescuer = agent("kill", { ECHO_EXIT_WHEN_IDLE_MS: "2000" });
      await eventually(async () => (await w.work.get(item.id))?.status === "completed", 15_000);
      const done = await w.work.get(item.id);
      expect(done?.attempts).toBe(2);
      expect(done?.errors[0]?.message).toMatch(/offline|lease expired/);
      // The record is completed before the agent prints its report line.
      await eventually(async () => rescuer.completed.length > 0, 10_000);
      expect(rescuer.completed).toEqual([item.id]);
    } finally {
      await janitor.stop();
    }
  }, 40_000);

  it("loses nothing when the NATS server restarts mid-run", async () => {
    const w = await connect("restart");
    const janitor = startJanitor({ core: w.core, pipeline: w.work, registry: w.registry, intervalMs: 500 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 300; i++)
        ids.push(
          (await w.work.submit({ description: `r${i}`, capability: "echo", boundary: "personal" })).item.id,
        );
      const workers = Array.from({ length: 4 }, () =>
        agent("restart", { ECHO_DELAY_MS: "5", ECHO_EXIT_WHEN_IDLE_MS: "5000" }),
      );
      await eventually(async () => workers.reduce((n, a) => n + a.completed.length, 0) >= 50, 20_000);
      await nats.restart();
      try {
        await eventually(
          async () => (await w.work.list({ status: "completed", limit: 1000 })).length === 300,
          60_000,
          250,
        );
      } catch (err) {
        // Say whether the server or this connection is the one not answering.
        const fresh = await connectWarp({ project: "restart", nats: { servers: nats.url } });
        const probe = await fresh.work
          .list({ limit: 1000 })
          .then(
            (l) =>
              `a fresh connection lists ${l.length} items (${l.filter((i) => i.status === "completed").length} completed)`,
          )
          .catch((e: unknown) => `a fresh connection fails too: ${String(e)}`);
        const consumers = await fresh.core.jsm.consumers
          .list("KV_loom-agents")
          .next()
          .then((c) => c.length)
          .catch(() => -1);
        await fresh.close();
        throw new Error(
          `${String(err)}; ${probe}; old connection closed=${w.core.nc.isClosed()} stats=${JSON.stringify(w.core.nc.stats())}; consumers on KV_loom-agents=${consumers}; agents completed ${workers.map((a) => a.completed.length).join("/")}`,
        );
      }
      await Promise.all(workers.map((a) => a.exited));
      const records = await w.work.list({ limit: 1000 });
      expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(records.every((r) => r.status === "completed")).toBe(true);
      // No item was completed twice. (A completion whose reply was lost in the outage is done but may
      // go unreported by its agent, so reports can be fewer than records, never more or repeated.)
      const reported = workers.flatMap((a) => a.completed);
      expect(new Set(reported).size).toBe(reported.length);
      expect(reported.length).toBeGreaterThanOrEqual(295);
    } finally {
      await janitor.stop();
    }
  }, 90_000);

  it("dead-letters a poisoned item after its attempts, then completes it when retried from the DLQ", async () => {
    const w = await connect("poison");
    const { item } = await w.work.submit({
      description: "poison",
      capability: "echo",
      boundary: "personal",
      maxAttempts: 2,
      contextData: { failUntilAttempt: 2 },
    });
    agent("poison", { ECHO_EXIT_WHEN_IDLE_MS: "8000" });
    await eventually(async () => (await w.work.get(item.id))?.status === "dead-lettered", 20_000);
    const [dead] = await w.work.deadLetters({ capability: "echo" });
    expect(dead?.errors.map((e) => e.attempt)).toEqual([1, 2]);
    await w.work.retryDeadLetter(item.id, { resetAttempts: false });
    await eventually(async () => (await w.work.get(item.id))?.status === "completed", 20_000);
    expect((await w.work.get(item.id))?.attempts).toBe(3);
  }, 60_000);
});
