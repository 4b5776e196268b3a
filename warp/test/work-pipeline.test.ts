import { describe, expect, it } from "vitest";
import { createRegistry } from "../src/registry.js";
import { sweep } from "../src/work/janitor.js";
import { type Claimer, createWorkPipeline } from "../src/work/pipeline.js";
import { manualClock, useNats } from "./helpers.js";

const agent = (guid: string, patch: Partial<Claimer> = {}): Claimer => ({
  guid,
  handle: guid,
  agentType: "script",
  capabilities: ["ts"],
  boundaries: ["personal"],
  ...patch,
});

describe("work pipeline", () => {
  const env = useNats();
  const core = (project?: string) => env.core(project);

  it("submits, claims, reports progress and completes, with an event per transition", async () => {
    const c = await core();
    const wp = createWorkPipeline(c);
    const { item } = await wp.submit({
      description: "build it",
      capability: "ts",
      boundary: "personal",
      submittedBy: "me",
    });
    expect(await wp.claimableCount(agent("a"))).toBe(1);
    const claimed = await wp.claim(agent("a"));
    expect(claimed?.id).toBe(item.id);
    expect(claimed?.status).toBe("in-progress");
    await wp.progress("a", item.id, { percent: 50, message: "half" });
    const done = await wp.complete("a", item.id, { summary: "built" });
    expect(done.status).toBe("completed");
    expect((await wp.get(item.id))?.result?.summary).toBe("built");
    const events: string[] = [];
    const cons = await c.js.consumers.get("LOOM_EVENTS", {
      filter_subjects: `loom.${c.project}.events.work.${item.id}`,
    });
    for await (const m of await cons.fetch({ max_messages: 4, expires: 2000 })) {
      const ev = m.json<{ action: string; to: string }>();
      events.push(`${ev.action}:${ev.to}`);
      if (events.length === 4) break;
    }
    expect(events).toEqual([
      "submit:pending",
      "claim:in-progress",
      "progress:in-progress",
      "complete:completed",
    ]);
  });

  it("claims from the record a hint carries, never on a stale copy, and by id for large records", async () => {
    const project = (await core()).project;
    const submitter = createWorkPipeline(await core(project));
    const claimer = createWorkPipeline(await core(project));
    // Cancelled after its hint was published: the hint's copy says pending, the record does not.
    const gone = await submitter.submit({ description: "gone", capability: "ts", boundary: "personal" });
    await submitter.cancel(gone.item.id);
    expect(await claimer.claim(agent("a"))).toBeUndefined();
    expect((await claimer.queueDepth()).reduce((n, d) => n + d.depth, 0)).toBe(0);
    expect((await submitter.get(gone.item.id))?.status).toBe("cancelled");

    const big = "x".repeat(40_000);
    const large = await submitter.submit({
      description: "large",
      capability: "ts",
      boundary: "personal",
      contextData: { big },
    });
    const small = await submitter.submit({ description: "small", capability: "ts", boundary: "personal" });
    const first = await claimer.claim(agent("a"));
    const second = await claimer.claim(agent("b"));
    expect([first?.id, second?.id].sort()).toEqual([large.item.id, small.item.id].sort());
    const gotLarge = first?.id === large.item.id ? first : second;
    expect(gotLarge?.contextData).toEqual({ big });
    for (const it of [first, second]) {
      const rec = await submitter.get(it!.id);
      expect(rec).toMatchObject({ status: "in-progress", attempts: 1, lease: { agent: it!.lease!.agent } });
    }
  });

  it("returns the existing item for a repeated idempotency key", async () => {
    const wp = createWorkPipeline(await core());
    const a = await wp.submit({
      description: "once",
      capability: "ts",
      boundary: "personal",
      idempotencyKey: "k1",
    });
    const b = await wp.submit({
      description: "once",
      capability: "ts",
      boundary: "personal",
      idempotencyKey: "k1",
    });
    expect(b.duplicate).toBe(true);
    expect(b.item.id).toBe(a.item.id);
    expect((await wp.list()).length).toBe(1);
  });

  it("gives higher priority first, then oldest", async () => {
    const wp = createWorkPipeline(await core());
    const low = await wp.submit({ description: "low", capability: "ts", boundary: "personal", priority: 2 });
    const hi1 = await wp.submit({ description: "hi1", capability: "ts", boundary: "personal", priority: 9 });
    const hi2 = await wp.submit({ description: "hi2", capability: "ts", boundary: "personal", priority: 9 });
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await wp.claim(agent(`a${i}`)))?.id);
    expect(order).toEqual([hi1.item.id, hi2.item.id, low.item.id]);
  });

  it("routes only to agents with the capability and boundary, and the required agent type", async () => {
    const wp = createWorkPipeline(await core());
    await wp.submit({ description: "corp", capability: "ts", boundary: "corporate" });
    await wp.submit({ description: "py", capability: "py", boundary: "personal" });
    await wp.submit({
      description: "cc only",
      capability: "ts",
      boundary: "personal",
      requiredAgentType: "claude-code",
    });
    expect(await wp.claim(agent("personal-ts"))).toBeUndefined();
    expect((await wp.claim(agent("corp", { boundaries: ["corporate"] })))?.description).toBe("corp");
    // The script agent saw the hint and left it for others; a claude-code agent gets it shortly after.
    expect(
      (await wp.claim(agent("cc", { agentType: "claude-code" }), { timeoutMs: 3000 }))?.description,
    ).toBe("cc only");
    await expect(wp.claim(agent("x"), { capability: "go" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("never gives one item to two competing claimers", async () => {
    const c = await core();
    const wp = createWorkPipeline(c);
    const N = 60;
    for (let i = 0; i < N; i++)
      await wp.submit({ description: `i${i}`, capability: "ts", boundary: "personal" });
    const claimers = await Promise.all(
      Array.from({ length: 6 }, async (_, k) => ({ k, wp: createWorkPipeline(await core(c.project)) })),
    );
    const got: string[] = [];
    await Promise.all(
      claimers.map(async ({ k, wp: w }) => {
        for (;;) {
          const it = await w.claim(agent(`c${k}`));
          if (!it) return;
          got.push(it.id);
          await w.complete(`c${k}`, it.id, { summary: "ok" });
        }
      }),
    );
    expect(got.length).toBe(N);
    expect(new Set(got).size).toBe(N);
  });

  it("returns promptly from a short claim timeout, and wakes when work arrives", async () => {
    const wp = createWorkPipeline(await core());
    let t0 = Date.now();
    expect(await wp.claim(agent("a"), { timeoutMs: 300 })).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1_500);
    setTimeout(() => void wp.submit({ description: "late", capability: "ts", boundary: "personal" }), 300);
    t0 = Date.now();
    expect((await wp.claim(agent("a"), { timeoutMs: 10_000 }))?.description).toBe("late");
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it("wakes one of many idle claimers per item, not all of them", async () => {
    const project = (await core()).project;
    const submitter = createWorkPipeline(await core(project));
    const waiters = await Promise.all(Array.from({ length: 10 }, () => core(project)));
    const claims = waiters.map((c, k) =>
      createWorkPipeline(c).claim(agent(`idle${k}`), { timeoutMs: 20_000 }),
    );
    await new Promise((r) => setTimeout(r, 500)); // every claimer is waiting
    const sent = () => waiters.reduce((n, c) => n + c.nc.stats().outMsgs, 0);
    const before = sent();
    const { item } = await submitter.submit({ description: "one", capability: "ts", boundary: "personal" });
    const winner = await Promise.race(claims);
    expect(winner?.id).toBe(item.id);
    // One woken claimer: counts, a pull, the claim's compare-and-set, its ack and event, about 9 in all
    // (plus a poll or two if the once-a-second polls fall in the window). Waking all ten costs 35.
    expect(sent() - before).toBeLessThan(16);
    // The others are still waiting, and each gets an item of its own.
    for (let i = 0; i < 9; i++)
      await submitter.submit({ description: `more${i}`, capability: "ts", boundary: "personal" });
    const all = await Promise.all(claims);
    expect(new Set(all.map((i) => i?.id)).size).toBe(10);
  });

  it("refuses completion with a stale lease after the item went to someone else", async () => {
    const c = await core();
    const wp = createWorkPipeline(c, { leaseMs: 200 });
    const { item } = await wp.submit({ description: "slow", capability: "ts", boundary: "personal" });
    const first = await wp.claim(agent("slow"));
    await new Promise((r) => setTimeout(r, 300));
    const report = await sweep({ core: c, pipeline: wp });
    expect(report.leaseExpired).toContain(item.id);
    const second = await wp.claim(agent("fast"));
    expect(second?.lease?.token).toBeGreaterThan(first?.lease?.token ?? 0);
    await expect(
      wp.complete("slow", item.id, { summary: "late" }, first?.lease?.token),
    ).rejects.toMatchObject({ code: "LEASE_STALE" });
    expect((await wp.complete("fast", item.id, { summary: "mine" })).result?.summary).toBe("mine");
  });

  it("tells the holder of a cancelled item on its next call", async () => {
    const wp = createWorkPipeline(await core());
    const { item } = await wp.submit({ description: "x", capability: "ts", boundary: "personal" });
    await wp.claim(agent("h"));
    await wp.cancel(item.id, "no longer needed");
    await expect(wp.progress("h", item.id, { percent: 10 })).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("retries a failing item with backoff, dead-letters it, then retries it from the DLQ to completion", async () => {
    const wp = createWorkPipeline(await core(), { backoff: () => 50 });
    const { item } = await wp.submit({
      description: "poison",
      capability: "ts",
      boundary: "personal",
      maxAttempts: 2,
    });
    let got = await wp.claim(agent("a"), { timeoutMs: 2000 });
    await wp.fail("a", item.id, "boom 1");
    got = await wp.claim(agent("a"), { timeoutMs: 3000 });
    expect(got?.attempts).toBe(2);
    expect((await wp.fail("a", item.id, "boom 2")).status).toBe("dead-lettered");
    const dlq = await wp.deadLetters({ capability: "ts" });
    expect(dlq.map((i) => i.id)).toEqual([item.id]);
    expect(dlq[0]?.errors.map((e) => e.message)).toEqual(["boom 1", "boom 2"]);
    expect(await wp.deadLetters({ boundary: "corporate" })).toEqual([]);
    await wp.retryDeadLetter(item.id);
    got = await wp.claim(agent("a"), { timeoutMs: 2000 });
    expect((await wp.complete("a", item.id, { summary: "fixed" })).status).toBe("completed");
    const other = await wp.submit({ description: "bad", capability: "ts", boundary: "personal" });
    await wp.claim(agent("a"));
    await wp.fail("a", other.item.id, "fatal", { retryable: false });
    expect((await wp.discardDeadLetter(other.item.id)).status).toBe("discarded");
  });

  it("puts an offline holder's work back in the queue at once", async () => {
    const c = await core();
    const registry = createRegistry(c, { heartbeatMs: 100 });
    const wp = createWorkPipeline(c, { registry });
    const holder = await registry.register({
      handle: "doomed",
      agentType: "script",
      capabilities: ["ts"],
      boundaries: ["personal"],
    });
    const { item } = await wp.submit({ description: "x", capability: "ts", boundary: "personal" });
    await wp.claim(agent(holder.guid));
    await new Promise((r) => setTimeout(r, 400)); // three missed heartbeats
    const report = await sweep({ core: c, pipeline: wp, registry });
    expect(report.offlineAgents).toContain(holder.guid);
    expect(report.released).toContain(item.id);
    expect((await wp.claim(agent("rescuer")))?.id).toBe(item.id);
  });

  it("expires items whose deadline passed, and reports queue depth per boundary and capability", async () => {
    const c = await core();
    const wp = createWorkPipeline(c);
    await wp.submit({
      description: "old",
      capability: "ts",
      boundary: "personal",
      deadline: new Date(Date.now() - 1000).toISOString(),
    });
    await wp.submit({ description: "p", capability: "py", boundary: "corporate", priority: 7 });
    expect(await wp.queueDepth()).toEqual([
      { boundary: "corporate", capability: "py", priority: 7, depth: 1 },
      { boundary: "personal", capability: "ts", priority: 5, depth: 1 },
    ]);
    expect(await wp.claim(agent("a"))).toBeUndefined();
    expect((await wp.list({ status: "expired" })).length).toBe(1);
  });

  it("repairs a missing hint (a crash between record and hint)", async () => {
    const c = await core();
    const wp = createWorkPipeline(c);
    const { item } = await wp.submit({ description: "x", capability: "ts", boundary: "personal" });
    await c.jsm.streams.purge("LOOM_WORKQ", { filter: `loom.${c.project}.workq.>` });
    expect(await wp.claim(agent("a"))).toBeUndefined();
    expect((await sweep({ core: c, pipeline: wp })).rehinted).toBe(1);
    expect((await wp.claim(agent("a")))?.id).toBe(item.id);
  });

  it("removes finished items after the retention, keeping live and dead-lettered ones", async () => {
    const clock = manualClock(Date.now());
    const c = await env.core(undefined, { clock });
    const wp = createWorkPipeline(c);
    const submit = async (description: string) =>
      (await wp.submit({ description, capability: "ts", boundary: "personal" })).item;
    const done = await submit("done");
    await wp.claim(agent("a"));
    await wp.complete("a", done.id, { summary: "ok" });
    const cancelled = await submit("cancelled");
    await wp.cancel(cancelled.id);
    const dead = await submit("dead");
    await wp.claim(agent("a"));
    await wp.fail("a", dead.id, "fatal", { retryable: false });
    const waiting = await submit("waiting");

    // The janitor sweeps every project on the server; look only at this test's items.
    const mine = (ids: string[]) =>
      ids.filter((id) => [done.id, cancelled.id, dead.id, waiting.id].includes(id)).sort();
    clock.advance(6 * 86_400_000);
    expect(mine((await sweep({ core: c, pipeline: wp })).removed)).toEqual([]);
    clock.advance(2 * 86_400_000); // past the default 7 days
    const report = await sweep({ core: c, pipeline: wp });
    expect(mine(report.removed)).toEqual([done.id, cancelled.id].sort());
    expect(await wp.get(done.id)).toBeUndefined();
    expect((await wp.get(dead.id))?.status).toBe("dead-lettered");
    expect((await wp.get(waiting.id))?.status).toBe("pending");
    expect((await wp.list()).map((i) => i.id).sort()).toEqual([dead.id, waiting.id].sort());

    // A configured retention (loomd reads defaults.workRetention from the spec) applies too.
    await wp.claim(agent("a"));
    await wp.complete("a", waiting.id, { summary: "ok" });
    clock.advance(2 * 3_600_000);
    const short = await sweep({ core: c, pipeline: wp, retentionMs: async () => 3_600_000 });
    expect(mine(short.removed)).toEqual([waiting.id]);
  });

  it("rejects bad input with clear errors", async () => {
    const wp = createWorkPipeline(await core());
    await expect(wp.submit({ description: "", capability: "ts" })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(wp.submit({ description: "x", capability: "Bad Cap" })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(wp.submit({ description: "x", capability: "ts", priority: 11 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(wp.submit({ description: "x", capability: "ts", deadline: "soon" })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(wp.complete("a", "nope", {})).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("on a server that has never held work or agents", () => {
  const env = useNats();

  it("lists nothing (and discovers no one) instead of failing", async () => {
    const c = await env.core();
    expect(await createWorkPipeline(c).list()).toEqual([]);
    expect(await createWorkPipeline(c).deadLetters()).toEqual([]);
    const registry = createRegistry(c);
    expect(await registry.discover({}, { project: c.project, username: "me" })).toEqual([]);
  });
});
