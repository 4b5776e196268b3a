import { describe, expect, it } from "vitest";
import { startNats } from "../../test/harness/nats.js";
import { createDirectMessages } from "../src/dm.js";
import { testCore, useNats } from "./helpers.js";

describe("direct messages", () => {
  const env = useNats();
  const core = () => env.core();
  const sender = (project: string) => ({ guid: "sender-guid", handle: "sender", project });

  it("delivers each message exactly once to concurrent readers of one inbox", async () => {
    const c = await core();
    const dm = createDirectMessages(c);
    const to = { project: c.project, guid: "inbox-1" };
    const N = 60;
    for (let i = 0; i < N; i++) await dm.send({ from: sender(c.project), toGuid: to.guid, body: `m${i}` });
    const readers = await Promise.all(Array.from({ length: 4 }, () => core()));
    const got: string[] = [];
    await Promise.all(
      readers.map(async (rc) => {
        const rdm = createDirectMessages(rc);
        for (;;) {
          const batch = await rdm.read(to, { limit: 7 });
          if (batch.length === 0) return;
          got.push(...batch.map((m) => m.body));
        }
      }),
    );
    expect(got.length).toBe(N);
    expect(new Set(got).size).toBe(N);
    expect(await dm.unreadCount(to.project, to.guid)).toBe(0);
  });

  it("keeps messages sent while the recipient is offline until it reads", async () => {
    const c = await core();
    const sent = await createDirectMessages(c).send({
      from: sender(c.project),
      toGuid: "later",
      body: "while you were out",
    });
    await c.close();
    const c2 = await core();
    const got = await createDirectMessages(await env.core(c.project)).read({
      project: c.project,
      guid: "later",
    });
    expect(got.map((m) => m.id)).toEqual([sent.id]);
    await c2.close();
  });

  it("filtered reads by type or sender leave the other messages unread", async () => {
    const c = await core();
    const dm = createDirectMessages(c);
    const to = { project: c.project, guid: "filtered" };
    await dm.send({ from: sender(c.project), toGuid: to.guid, type: "question", body: "q1" });
    await dm.send({
      from: { guid: "g2", handle: "other", project: c.project },
      toGuid: to.guid,
      type: "text",
      body: "t1",
    });
    await dm.send({ from: sender(c.project), toGuid: to.guid, type: "text", body: "t2" });
    expect((await dm.read(to, { type: "question" })).map((m) => m.body)).toEqual(["q1"]);
    expect(await dm.unreadCount(to.project, to.guid)).toBe(2);
    expect((await dm.read(to, { from: "other" })).map((m) => m.body)).toEqual(["t1"]);
    expect((await dm.read(to)).map((m) => m.body)).toEqual(["t2"]);
  });

  it("returns at once when empty, and waits up to the bound for a message that arrives", async () => {
    const c = await core();
    const dm = createDirectMessages(c);
    const to = { project: c.project, guid: "waiter" };
    const t0 = Date.now();
    expect(await dm.read(to)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2_000);
    setTimeout(() => void dm.send({ from: sender(c.project), toGuid: to.guid, body: "arrived" }), 200);
    const got = await dm.read(to, { waitMs: 5_000 });
    expect(got.map((m) => m.body)).toEqual(["arrived"]);
  });

  it("shows the sender delivered, then read", async () => {
    const c = await core();
    const dm = createDirectMessages(c);
    const { id } = await dm.send({ from: sender(c.project), toGuid: "rcpt", body: "did you see this?" });
    expect((await dm.status(id)).status).toBe("delivered");
    await dm.read({ project: c.project, guid: "rcpt" });
    expect((await dm.status(id)).status).toBe("read");
  });

  it("bounds each inbox, dropping the oldest", async () => {
    const c = await core();
    // The bound is per stream; a dedicated server keeps it from affecting other tests.
    const own = await startNats();
    const oc = await testCore(own.url, c.project);
    try {
      const dm = createDirectMessages(oc, { maxPerInbox: 5 });
      for (let i = 0; i < 8; i++) await dm.send({ from: sender(c.project), toGuid: "full", body: `m${i}` });
      expect(await dm.unreadCount(c.project, "full")).toBe(5);
      expect((await dm.read({ project: c.project, guid: "full" })).map((m) => m.body)).toEqual([
        "m3",
        "m4",
        "m5",
        "m6",
        "m7",
      ]);
    } finally {
      await oc.close();
      await own.dispose();
    }
  });

  it("refuses a message over 1 MiB with a clear error", async () => {
    const c = await core();
    await expect(
      createDirectMessages(c).send({
        from: sender(c.project),
        toGuid: "x",
        body: "x".repeat(1024 * 1024 + 1),
      }),
    ).rejects.toMatchObject({ code: "TOO_LARGE" });
  });
});
