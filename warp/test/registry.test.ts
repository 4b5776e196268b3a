import { describe, expect, it } from "vitest";
import { createRegistry } from "../src/registry.js";
import { eventually, manualClock, uniqueProject, useNats } from "./helpers.js";

describe("registry and presence", () => {
  const env = useNats();
  const core = (project?: string, extra = {}) => env.core(project, extra);

  it("registers, gets and discovers with every filter, newest heartbeat first", async () => {
    const c = await core();
    const reg = createRegistry(c);
    const a = await reg.register({
      handle: "a",
      agentType: "claude-code",
      capabilities: ["ts"],
      boundaries: ["personal"],
      hostname: "h1",
    });
    await new Promise((r) => setTimeout(r, 5));
    const b = await reg.register({
      handle: "b",
      agentType: "script",
      capabilities: ["py"],
      boundaries: ["corporate"],
      hostname: "h2",
    });
    const viewer = { project: c.project, username: a.username };
    expect((await reg.get(a.guid))?.handle).toBe("a");
    expect((await reg.discover({}, viewer)).map((r) => r.handle)).toEqual(["b", "a"]);
    expect((await reg.discover({ agentType: "script" }, viewer)).map((r) => r.guid)).toEqual([b.guid]);
    expect((await reg.discover({ capability: "ts" }, viewer)).map((r) => r.guid)).toEqual([a.guid]);
    expect((await reg.discover({ boundary: "corporate" }, viewer)).map((r) => r.guid)).toEqual([b.guid]);
    expect((await reg.discover({ hostname: "h1" }, viewer)).map((r) => r.guid)).toEqual([a.guid]);
    await reg.updatePresence(b.guid, { status: "busy" });
    expect((await reg.discover({ status: "busy" }, viewer)).map((r) => r.guid)).toEqual([b.guid]);
  });

  it("with a live copy, discovery sees its own writes at once and other processes' writes as they happen", async () => {
    const p = uniqueProject();
    const mine = createRegistry(await core(p), { cache: true });
    const theirs = createRegistry(await core(p));
    const pre = await theirs.register({ handle: "before", agentType: "script", hostname: "h" });
    const me = await mine.register({ handle: "me", agentType: "claude-code", hostname: "h" });
    const viewer = { project: p, username: me.username };
    // Loaded from the snapshot, plus our own write without waiting for the watch.
    expect((await mine.discover({}, viewer)).map((r) => r.handle).sort()).toEqual(["before", "me"]);
    await mine.updatePresence(me.guid, { status: "busy" });
    expect((await mine.discover({ status: "busy" }, viewer)).map((r) => r.guid)).toEqual([me.guid]);
    const temp = await mine.register({ handle: "temp", agentType: "script", hostname: "h" });
    await mine.deregister(temp.guid, { forget: true });
    expect((await mine.discover({}, viewer)).map((r) => r.handle)).not.toContain("temp");

    // Writes by another process arrive through the watch: a registration, a presence change, a delete.
    const later = await theirs.register({
      handle: "later",
      agentType: "script",
      capabilities: ["go"],
      hostname: "h",
    });
    await eventually(async () => (await mine.discover({ capability: "go" }, viewer)).length === 1);
    await theirs.updatePresence(pre.guid, { status: "draining" });
    await eventually(async () => (await mine.discover({ status: "draining" }, viewer))[0]?.guid === pre.guid);
    await theirs.deregister(later.guid, { forget: true });
    await eventually(async () => (await mine.discover({}, viewer)).every((r) => r.guid !== later.guid));
    expect((await mine.discover({}, viewer)).map((r) => r.handle).sort()).toEqual(["before", "me"]);
  });

  it("gives a returning handle its old guid on the same host and project, a new one elsewhere", async () => {
    const p = uniqueProject();
    const reg = createRegistry(await core(p));
    const first = await reg.register({ handle: "worker", agentType: "script", hostname: "box" });
    await reg.deregister(first.guid);
    const again = await reg.register({ handle: "worker", agentType: "script", hostname: "box" });
    expect(again.guid).toBe(first.guid);
    const otherHost = await reg.register({ handle: "worker", agentType: "script", hostname: "other" });
    expect(otherHost.guid).not.toBe(first.guid);
    const otherProject = await createRegistry(await core()).register({
      handle: "worker",
      agentType: "script",
      hostname: "box",
    });
    expect(otherProject.guid).not.toBe(first.guid);
  });

  it("applies visibility and redaction across projects and users", async () => {
    const c1 = await core();
    const c2 = await core();
    const r1 = createRegistry(c1);
    const mk = (
      handle: string,
      visibility: "private" | "project-only" | "user-only" | "public",
      username = "alice",
    ) => r1.register({ handle, agentType: "script", visibility, username, natsUrl: "nats://secret:4222" });
    await mk("priv", "private");
    await mk("proj", "project-only");
    await mk("user", "user-only");
    await mk("pub", "public", "bob");
    const r2 = createRegistry(c2);
    const handles = async (viewer: { project: string; username: string }, project?: string) =>
      (await r2.discover(project ? { project } : {}, viewer)).map((r) => r.handle).sort();

    expect(await handles({ project: c1.project, username: "carol" }, c1.project)).toEqual(["proj", "pub"]);
    expect(await handles({ project: c2.project, username: "alice" }, c1.project)).toEqual(["pub", "user"]);
    expect(await handles({ project: c2.project, username: "carol" }, c1.project)).toEqual(["pub"]);

    const [pub] = await r2.discover(
      { project: c1.project, agentType: "script" },
      { project: c2.project, username: "carol" },
    );
    expect(pub?.handle).toBe("pub");
    expect(pub?.project).toBeUndefined();
    expect(pub?.natsUrl).toBeUndefined();
    expect(pub?.username).toBeUndefined();
    const [same] = await r2.discover(
      { project: c1.project, hostname: pub?.hostname, agentType: "script", status: "online" },
      { project: c1.project, username: "bob" },
    );
    expect(same?.project).toBe(c1.project);
  });

  it("never loses a presence change to a concurrent heartbeat (compare-and-set)", async () => {
    const reg = createRegistry(await core());
    const a = await reg.register({ handle: "racer", agentType: "script" });
    await Promise.all([
      ...Array.from({ length: 10 }, () => reg.heartbeat(a.guid)),
      reg.updatePresence(a.guid, { status: "draining", currentTaskCount: 3 }),
      ...Array.from({ length: 10 }, () => reg.heartbeat(a.guid)),
    ]);
    const got = await reg.get(a.guid);
    expect(got?.status).toBe("draining");
    expect(got?.currentTaskCount).toBe(3);
  });

  it("shows an agent that stopped heartbeating offline after three intervals, and a sweeper marks it", async () => {
    const clock = manualClock();
    const reg = createRegistry(await core(undefined, { clock }), { heartbeatMs: 1000 });
    const a = await reg.register({ handle: "crashy", agentType: "script" });
    clock.advance(2_900);
    expect((await reg.get(a.guid))?.status).toBe("online");
    expect(await reg.markStaleOffline()).toEqual([]);
    clock.advance(200);
    expect((await reg.get(a.guid))?.status).toBe("offline");
    const marked = await reg.markStaleOffline();
    expect(marked.map((r) => r.guid)).toContain(a.guid);
    expect((await reg.heartbeat(a.guid)).status).toBe("online");
  });

  it("heartbeats on its own until stopped, and stop marks it offline", async () => {
    const reg = createRegistry(await core(), { heartbeatMs: 100 });
    const a = await reg.register({ handle: "alive", agentType: "script" });
    const presence = reg.startPresence(a.guid);
    await new Promise((r) => setTimeout(r, 450));
    expect((await reg.get(a.guid))?.status).toBe("online");
    await presence.stop();
    expect((await reg.get(a.guid))?.status).toBe("offline");
  });

  it("refuses presence updates for an unknown agent with a hint", async () => {
    const reg = createRegistry(await core());
    await expect(reg.heartbeat("nope")).rejects.toMatchObject({
      code: "NOT_REGISTERED",
      hint: expect.stringContaining("register_agent"),
    });
  });
  it("keeps its live copy current across a NATS server restart", async () => {
    const p = uniqueProject();
    const mine = createRegistry(await core(p), { cache: true });
    const theirs = createRegistry(await core(p));
    const me = await mine.register({ handle: "me", agentType: "script", hostname: "h" });
    const viewer = { project: p, username: me.username };
    expect((await mine.discover({ project: p }, viewer)).map((r) => r.handle)).toEqual(["me"]);
    await env.nats.restart();
    await eventually(
      async () => (await theirs.register({ handle: "after", agentType: "script", hostname: "h" })).guid,
    );
    await eventually(
      async () => (await mine.discover({ project: p }, viewer)).some((r) => r.handle === "after"),
      30_000,
    );
  }, 60_000);
});
