import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWarp, textOf, type WarpClient } from "../../test/harness/mcp.js";
import { startNats, type TestNats } from "../../test/harness/nats.js";
import { eventually, uniqueProject } from "./helpers.js";

describe("warp MCP server over stdio", () => {
  let nats: TestNats;
  const clients: WarpClient[] = [];
  const warp = async (project: string, extra: Record<string, string> = {}) => {
    const c = await startWarp({
      NATS_URL: nats.url,
      LOOM_PROJECT: project,
      WARP_HEARTBEAT_MS: "300",
      ...extra,
    });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await nats.dispose();
  });

  it("lists tools without NATS, every input described, with output schemas and annotations", async () => {
    const c = await startWarp({ NATS_URL: "nats://127.0.0.1:1" });
    clients.push(c);
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["send_message", "claim_work", "register_agent", "read_direct_messages"]),
    );
    for (const t of tools) {
      expect(t.outputSchema, t.name).toBeDefined();
      expect(t.annotations?.readOnlyHint, t.name).toBeTypeOf("boolean");
      for (const [field, schema] of Object.entries(t.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${t.name}.${field}`).toBeTruthy();
      }
    }
    const r = await c.call("list_channels");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^Error: Cannot reach NATS.*NATS_URL/s);
  });

  it("exposes only the selected toolsets", async () => {
    const c = await startWarp({ NATS_URL: "nats://127.0.0.1:1", WARP_TOOLSETS: "work" });
    clients.push(c);
    const names = (await c.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("claim_work");
    expect(names).not.toContain("send_message");
    expect(names).not.toContain("register_agent");
  });

  it("shares channel history between two sessions of one project", async () => {
    const p = uniqueProject("mcp");
    const a = await warp(p, { WARP_HANDLE: "alice" });
    const b = await warp(p, { WARP_HANDLE: "bob" });
    await a.ok("send_message", { channel: "roadmap", message: "ship it friday" });
    const read = await b.ok<{ messages: { from: string; body: string }[] }>("read_messages", {
      channel: "roadmap",
    });
    expect(read.messages.map((m) => `${m.from}: ${m.body}`)).toEqual(["alice: ship it friday"]);
    const other = await warp(uniqueProject("mcp"));
    expect(
      (await other.ok<{ messages: unknown[] }>("read_messages", { channel: "roadmap" })).messages,
    ).toEqual([]);
  });

  it("delivers a DM exactly once, queues it while the recipient is offline, and filtered reads lose nothing", async () => {
    const p = uniqueProject("mcp");
    const sender = await warp(p);
    await sender.ok("register_agent", { agentType: "script", handle: "sender" });
    let rcpt = await warp(p);
    const { agent } = await rcpt.ok<{ agent: { guid: string } }>("register_agent", {
      agentType: "script",
      handle: "rcpt",
    });
    await rcpt.ok("deregister_agent");
    await rcpt.close();

    await sender.ok("send_direct_message", {
      recipientGuid: agent.guid,
      message: "q?",
      messageType: "question",
    });
    const sent = await sender.ok<{ id: string }>("send_direct_message", {
      recipientGuid: agent.guid,
      message: "fyi",
    });

    rcpt = await warp(p);
    const again = await rcpt.ok<{ agent: { guid: string } }>("register_agent", {
      agentType: "script",
      handle: "rcpt",
    });
    expect(again.agent.guid).toBe(agent.guid);
    const withCounts = await rcpt.call("get_my_handle");
    expect(textOf(withCounts)).toContain("2 unread direct messages");
    const q = await rcpt.ok<{ messages: { body: string }[] }>("read_direct_messages", {
      messageType: "question",
    });
    expect(q.messages.map((m) => m.body)).toEqual(["q?"]);
    const rest = await rcpt.ok<{ messages: { body: string }[] }>("read_direct_messages", {});
    expect(rest.messages.map((m) => m.body)).toEqual(["fyi"]);
    expect((await rcpt.ok<{ messages: unknown[] }>("read_direct_messages", {})).messages).toEqual([]);
    const status = await sender.ok<{ sent: { status: string }[] }>("read_direct_messages", {
      sentMessageIds: [sent.id],
    });
    expect(status.sent[0]?.status).toBe("read");
  });

  it("applies visibility across projects", async () => {
    const p1 = uniqueProject("mcp");
    const a = await warp(p1);
    await a.ok("register_agent", { agentType: "script", handle: "hidden", visibility: "project-only" });
    await a.ok("register_agent", { agentType: "script", handle: "shown", visibility: "public" });
    const b = await warp(uniqueProject("mcp"));
    const found = await b.ok<{ agents: { handle: string; project?: string }[] }>("discover_agents", {
      projectId: p1,
    });
    expect(found.agents.map((x) => x.handle)).toEqual(["shown"]);
    expect(found.agents[0]?.project).toBeUndefined();
  });

  it("shows a SIGKILLed session offline within three heartbeats", async () => {
    const p = uniqueProject("mcp");
    const doomed = await warp(p);
    const { agent } = await doomed.ok<{ agent: { guid: string } }>("register_agent", {
      agentType: "script",
      handle: "doomed",
    });
    const watcher = await warp(p);
    expect(
      (await watcher.ok<{ agent: { status: string } }>("get_agent_info", { guid: agent.guid })).agent.status,
    ).toBe("online");
    process.kill(doomed.pid, "SIGKILL");
    await eventually(
      async () =>
        (await watcher.ok<{ agent: { status: string } }>("get_agent_info", { guid: agent.guid })).agent
          .status === "offline",
      15_000,
      100,
    );
  });

  it("runs the work lifecycle through tools and reports claimable work on every result", async () => {
    const p = uniqueProject("mcp");
    const boss = await warp(p);
    const worker = await warp(p);
    await worker.ok("register_agent", {
      agentType: "script",
      capabilities: ["ts"],
      boundaries: ["personal"],
    });
    const offer = await boss.ok<{ item: { id: string } }>("broadcast_work_offer", {
      taskId: "t1",
      description: "do it",
      requiredCapability: "ts",
      boundary: "personal",
      priority: 7,
    });
    expect(textOf(await worker.call("list_work", {}))).toContain("1 claimable work item");
    const claim = await worker.ok<{ item: { id: string }; leaseToken: number }>("claim_work", {
      capability: "ts",
      timeout: 500,
    });
    expect(claim.item.id).toBe(offer.item.id);
    await worker.ok("report_progress", { workId: claim.item.id, percent: 50 });
    const done = await worker.ok<{ item: { status: string } }>("complete_work", {
      workId: claim.item.id,
      summary: "done",
      leaseToken: claim.leaseToken,
    });
    expect(done.item.status).toBe("completed");
    const none = await worker.ok<{ item: null }>("claim_work", { timeout: 200 });
    expect(none.item).toBeNull();
  });

  it("gives a clear isError for bad arguments to every tool, and keeps serving", async () => {
    const c = await warp(uniqueProject("mcp"));
    const bad: [string, Record<string, unknown>][] = [
      ["send_message", { channel: "nope", message: "x" }],
      ["send_message", { channel: "roadmap" }],
      ["read_messages", { channel: "roadmap", limit: 5000 }],
      ["set_handle", { handle: "Has Spaces" }],
      ["register_agent", {}],
      ["discover_agents", { status: "asleep" }],
      ["get_agent_info", { guid: "missing" }],
      ["update_presence", { status: "busy" }],
      ["deregister_agent", {}],
      ["send_direct_message", { recipientGuid: "x", message: "hi" }],
      ["read_direct_messages", { limit: 0 }],
      ["broadcast_work_offer", { taskId: "t", description: "d", requiredCapability: "Not A Token" }],
      ["claim_work", { timeout: -1 }],
      ["report_progress", { workId: "nope" }],
      ["complete_work", { workId: "nope", summary: "x" }],
      ["fail_work", { workId: "nope" }],
      ["release_work", {}],
      ["get_work", { workId: "nope" }],
      ["list_work", { status: "weird" }],
      ["cancel_work", { workId: "nope" }],
      ["list_dead_letter_items", { limit: 1000 }],
      ["retry_dead_letter_item", { itemId: "nope" }],
      ["discard_dead_letter_item", {}],
      ["list_channels", { unexpected: { deep: [1, 2, 3] } }],
    ];
    for (const [name, args] of bad) {
      const r = await c.call(name, args);
      if (name === "list_channels") continue; // extra fields are ignored, not an error
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(r), name).toMatch(/^Error: /);
    }
    expect((await c.ok<{ channels: unknown[] }>("list_channels")).channels.length).toBe(3);
  });

  it("notifies a subscribed client of new channel messages (resources/subscribe)", async () => {
    const p = uniqueProject("mcp");
    const listener = await warp(p);
    const speaker = await warp(p);
    await listener.ok("list_channels");
    const updates: string[] = [];
    listener.client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => {
      updates.push(n.params.uri);
    });
    await listener.client.subscribeResource({ uri: "warp://channels/roadmap" });
    await speaker.ok("send_message", { channel: "roadmap", message: "news" });
    await eventually(async () => updates.includes("warp://channels/roadmap"), 15_000);
    const res = await listener.client.readResource({ uri: "warp://channels/roadmap" });
    expect(JSON.stringify(res.contents)).toContain("news");
  });

  it("marks the agent offline when stdin closes (clean shutdown)", async () => {
    const p = uniqueProject("mcp");
    const a = await warp(p);
    const { agent } = await a.ok<{ agent: { guid: string } }>("register_agent", {
      agentType: "script",
      handle: "leaver",
    });
    const b = await warp(p);
    await a.close();
    await eventually(
      async () =>
        (await b.ok<{ agent: { status: string } }>("get_agent_info", { guid: agent.guid })).agent.status ===
        "offline",
      15_000,
      50,
    );
  });
});
