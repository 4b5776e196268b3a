import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChannels } from "../src/channels.js";
import { resolveProject } from "../src/project.js";
import { useNats } from "./helpers.js";

describe("project resolution", () => {
  it("prefers LOOM_PROJECT, then the config file, then the git top-level name, sanitised", () => {
    const dir = mkdtempSync(join(tmpdir(), "My Repo_"));
    const sub = join(dir, "deep", "er");
    mkdirSync(sub, { recursive: true });
    expect(resolveProject({ env: {}, cwd: sub }).project).toMatch(/^er$/);
    writeFileSync(
      join(dir, ".mcp-config.json"),
      JSON.stringify({ namespace: "Legacy Name", channels: [{ name: "ops", maxAge: "7d" }] }),
    );
    const fromFile = resolveProject({ env: {}, cwd: sub });
    expect(fromFile).toMatchObject({
      project: "legacy-name",
      source: "file",
      channels: [{ name: "ops", maxAge: "7d" }],
    });
    expect(resolveProject({ env: { LOOM_PROJECT: "From Env" }, cwd: sub })).toMatchObject({
      project: "from-env",
      source: "env",
    });
    writeFileSync(join(dir, ".loom-config.json"), "{ not json");
    expect(() => resolveProject({ env: {}, cwd: sub })).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringContaining(".loom-config.json"),
      }),
    );
    writeFileSync(
      join(dir, ".loom-config.json"),
      JSON.stringify({ project: "p", channels: [{ name: "Bad Name" }] }),
    );
    expect(() => resolveProject({ env: {}, cwd: sub })).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });

  it("uses the git top-level directory name", () => {
    const r = resolveProject({ env: {}, cwd: join(import.meta.dirname) });
    expect(r.source).toBe("git");
  });
});

describe("channels", () => {
  const env = useNats();

  it("reads the newest N in order, default 50, max 1000", async () => {
    const c = await env.core();
    const ch = createChannels(c);
    for (let i = 0; i < 60; i++) await ch.send("roadmap", { from: "a", body: `m${i}` });
    const def = await ch.read("roadmap");
    expect(def.length).toBe(50);
    expect(def[0]?.body).toBe("m10");
    expect(def.at(-1)?.body).toBe("m59");
    expect((await ch.read("roadmap", { limit: 3 })).map((m) => m.body)).toEqual(["m57", "m58", "m59"]);
    expect((await ch.read("roadmap", { limit: 5000 })).length).toBe(60);
  });

  it("updates a channel's stream when its limits change", async () => {
    const c = await env.core();
    await createChannels(c, { channels: [{ name: "ops", maxMessages: 10 }] }).ensure();
    await createChannels(c, { channels: [{ name: "ops", maxMessages: 3, maxAge: "1h" }] }).ensure();
    const info = await c.jsm.streams.info(`LOOM_CHAN_${c.project}_ops`);
    expect(info.config.max_msgs).toBe(3);
    expect(info.config.max_age).toBe(3_600_000_000_000);
  });

  it("refuses unknown channels and oversized messages with hints", async () => {
    const c = await env.core();
    const ch = createChannels(c);
    await expect(ch.send("nope", { from: "a", body: "x" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      hint: expect.stringContaining("roadmap"),
    });
    await expect(ch.send("roadmap", { from: "a", body: "x".repeat(1024 * 1024 + 1) })).rejects.toMatchObject({
      code: "TOO_LARGE",
    });
  });
});
