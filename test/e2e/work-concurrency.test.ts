import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWarp, type Warp } from "../../warp/src/index.js";
import { type AgentProcess, spawnEchoAgent } from "../harness/agents.js";
import { startNats, type TestNats } from "../harness/nats.js";

describe("work pipeline: 20 claimer processes, 2,000 items", () => {
  let nats: TestNats;
  let warp: Warp;
  beforeAll(async () => {
    nats = await startNats();
    warp = await connectWarp({ project: "conc", nats: { servers: nats.url } });
  });
  afterAll(async () => {
    await warp.close();
    await nats.dispose();
  });

  it("completes every item exactly once, none lost, none held by two at once", async () => {
    const N = 2000;
    const ids: string[] = [];
    for (let i = 0; i < N; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, N - i) }, (_, k) =>
          warp.work.submit({
            description: `item ${i + k}`,
            capability: "echo",
            boundary: "personal",
            priority: 1 + ((i + k) % 10),
          }),
        ),
      );
      ids.push(...batch.map((b) => b.item.id));
    }
    const agents: AgentProcess[] = Array.from({ length: 20 }, (_, k) =>
      spawnEchoAgent({
        NATS_URL: nats.url,
        LOOM_PROJECT: "conc",
        LOOM_HANDLE: `w${k}`,
        ECHO_EXIT_WHEN_IDLE_MS: "3000",
      }),
    );
    const codes = await Promise.all(agents.map((a) => a.exited));
    expect(codes.every((c) => c === 0)).toBe(true);

    // What the agents say they did: every id once, and no id twice.
    const reported = agents.flatMap((a) => a.completed);
    expect(reported.length).toBe(N);
    expect(new Set(reported)).toEqual(new Set(ids));
    expect(agents.filter((a) => a.completed.length > 0).length).toBeGreaterThan(1);

    // What the records say: all completed on their first attempt (no lease ever lapsed or overlapped).
    const items = await warp.work.list({ limit: N + 10 });
    expect(items.length).toBe(N);
    expect(items.every((i) => i.status === "completed" && i.attempts === 1 && i.fence === 1)).toBe(true);
    expect((await warp.work.queueDepth()).reduce((n, d) => n + d.depth, 0)).toBe(0);
  }, 120_000);
});
