import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startNats, type TestNats } from "../../test/harness/nats.js";
import { createChannels } from "../src/channels.js";
import { connectNats, resolveNatsSettings } from "../src/connection.js";
import { openCore } from "../src/core.js";

describe("connection settings (pure)", () => {
  it("accepts nats, tls, ws and wss URLs, several servers, and bare host:port", () => {
    expect(resolveNatsSettings({}, { NATS_URL: "nats://a:4222, b:4223" }).servers).toEqual([
      "nats://a:4222",
      "nats://b:4223",
    ]);
    expect(resolveNatsSettings({}, { NATS_URL: "tls://a:4222" })).toMatchObject({
      tls: true,
      transport: "tcp",
    });
    expect(resolveNatsSettings({}, { NATS_URL: "wss://a:443" })).toMatchObject({
      tls: true,
      transport: "websocket",
    });
    expect(resolveNatsSettings({}, {}).servers).toEqual(["nats://127.0.0.1:4222"]);
  });

  it("takes credentials from the URL, else NATS_USER/NATS_PASS, a token, or a creds file", () => {
    expect(resolveNatsSettings({}, { NATS_URL: "nats://me:s3cret@a:4222" })).toMatchObject({
      user: "me",
      pass: "s3cret",
      servers: ["nats://a:4222"],
    });
    expect(resolveNatsSettings({}, { NATS_URL: "nats://tok@a:4222" })).toMatchObject({ token: "tok" });
    expect(resolveNatsSettings({}, { NATS_USER: "u", NATS_PASS: "p" })).toMatchObject({
      user: "u",
      pass: "p",
    });
    expect(resolveNatsSettings({}, { NATS_TOKEN: "t", NATS_CREDS: "/x.creds" })).toMatchObject({
      token: "t",
      credsFile: "/x.creds",
    });
  });

  it("refuses bad URLs with a hint", () => {
    expect(() => resolveNatsSettings({}, { NATS_URL: "http://a:80" })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", hint: expect.stringContaining("nats://") }),
    );
    expect(() => resolveNatsSettings({}, { NATS_URL: "nats://a:1,ws://b:2" })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });

  it("says which file when a creds file cannot be read", async () => {
    await expect(
      connectNats({ servers: "nats://127.0.0.1:1", credsFile: "/nonexistent/loom.creds" }),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("/nonexistent/loom.creds"),
    });
  });
});

describe("connection against real servers", () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => nats.dispose());

  it("says what to do when NATS is unreachable", async () => {
    const port = await freePort();
    await expect(connectNats({ servers: `nats://127.0.0.1:${port}`, timeoutMs: 1000 })).rejects.toMatchObject(
      {
        code: "NATS_UNREACHABLE",
        message: expect.stringContaining(`127.0.0.1:${port}`),
        hint: expect.stringContaining("NATS_URL"),
      },
    );
  });

  it("says JetStream is off, and how to turn it on", async () => {
    const plain = await startNats({ jetstream: false });
    try {
      await expect(openCore({ project: "p", nats: { servers: plain.url } })).rejects.toMatchObject({
        code: "JETSTREAM_DISABLED",
        hint: expect.stringContaining("-js"),
      });
    } finally {
      await plain.dispose();
    }
  });

  it("authenticates with user and password in the URL and with a token", async () => {
    const secured = await startNats({
      config: 'authorization { users: [ { user: "loom", password: "pw" } ] }',
    });
    const tokened = await startNats({ config: 'authorization { token: "t0k" }' });
    try {
      const a = await connectNats({ servers: secured.url.replace("nats://", "nats://loom:pw@") });
      await a.close();
      await expect(
        connectNats({ servers: secured.url.replace("nats://", "nats://loom:wrong@") }),
      ).rejects.toMatchObject({ code: "NATS_AUTH" });
      const b = await connectNats({ servers: tokened.url }, { NATS_TOKEN: "t0k" });
      await b.close();
    } finally {
      await secured.dispose();
      await tokened.dispose();
    }
  });

  it("connects over WebSocket (ws://)", async () => {
    const wsPort = await freePort();
    const ws = await startNats({ config: `websocket { listen: "127.0.0.1:${wsPort}", no_tls: true }` });
    try {
      const core = await openCore({ project: "wsp", nats: { servers: `ws://127.0.0.1:${wsPort}` } });
      const ch = createChannels(core);
      await ch.send("roadmap", { from: "ws", body: "over websocket" });
      expect((await ch.read("roadmap")).map((m) => m.body)).toEqual(["over websocket"]);
      await core.close();
    } finally {
      await ws.dispose();
    }
  });

  it("reconnects after the server restarts", async () => {
    const core = await openCore({ project: "rc", nats: { servers: nats.url } });
    const ch = createChannels(core);
    await ch.send("roadmap", { from: "a", body: "before" });
    await nats.restart();
    let sent = false;
    for (let i = 0; i < 50 && !sent; i++) {
      try {
        await ch.send("roadmap", { from: "a", body: "after" });
        sent = true;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect((await ch.read("roadmap")).map((m) => m.body)).toEqual(["before", "after"]);
    await core.close();
  });
});
