import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWarp, type Warp } from "../../warp/src/index.js";
import { startNats, type TestNats } from "../harness/nats.js";

const HOOK = resolve(import.meta.dirname, "../../dist/examples/claude-code/warp-inbox-hook.js");

describe("Claude Code inbox hook", () => {
  let nats: TestNats;
  let warp: Warp;
  beforeAll(async () => {
    nats = await startNats();
    warp = await connectWarp({ project: "hook", nats: { servers: nats.url } });
  });
  afterAll(async () => {
    await warp.close();
    await nats.dispose();
  });
  const run = (env: Record<string, string>) =>
    execFileSync(process.execPath, [HOOK], {
      env: { PATH: process.env.PATH ?? "", NATS_URL: nats.url, LOOM_PROJECT: "hook", ...env },
    }).toString();

  it("prints unread messages and claimable work, without consuming them; silent when there is none", async () => {
    const me = await warp.registry.register({
      handle: "claude-1",
      agentType: "claude-code",
      capabilities: ["ts"],
      boundaries: ["personal"],
    });
    expect(run({ WARP_HANDLE: "claude-1" })).toBe("");
    await warp.dm.send({
      from: { guid: "x", handle: "boss", project: "hook" },
      toGuid: me.guid,
      body: "ping",
    });
    await warp.work.submit({ description: "t", capability: "ts", boundary: "personal" });
    expect(run({ WARP_HANDLE: "claude-1" })).toMatch(
      /1 unread direct message\(s\), 1 claimable work item\(s\)/,
    );
    expect(await warp.dm.unreadCount("hook", me.guid)).toBe(1);
  });

  it("never fails the prompt when NATS is down", () => {
    expect(() => run({ NATS_URL: "nats://127.0.0.1:1", WARP_AGENT_GUID: "g" })).not.toThrow();
  });
});
