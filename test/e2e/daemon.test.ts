import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Daemon, readStatus, startDaemon } from "../../daemon/src/index.js";
import {
  connectWarp,
  ensureKv,
  OVERRIDES_BUCKET,
  SPEC_BUCKET,
  silentLogger,
  type Warp,
} from "../../warp/src/index.js";
import { eventually } from "../../warp/test/helpers.js";
import { gitRepo } from "../harness/git.js";
import { freePort, startNats, type TestNats } from "../harness/nats.js";

const LOOMD = resolve(import.meta.dirname, "../../dist/daemon/src/bin.js");

const config = (targets: string[], extra = "") => `version: 1
project: e2e
boundaries:
  personal: {}
channels:
  - { name: roadmap, maxMessages: 100 }
targets:
${targets.map((t) => `  - { name: ${t}, agentType: script, capabilities: [echo], boundaries: [personal], mechanism: local, local: { command: node } }`).join("\n")}
${extra}`;

describe("loomd end to end", () => {
  let nats: TestNats;
  let warp: Warp;
  let dir: string;
  let file: string;
  const daemons: Daemon[] = [];
  const children: ChildProcess[] = [];
  const spec = async () => ensureKv(warp.core.nc, SPEC_BUCKET);
  const ready = async () => (await readStatus(warp.core))?.conditions.find((c) => c.type === "Ready");

  beforeAll(async () => {
    nats = await startNats();
    warp = await connectWarp({ project: "e2e", nats: { servers: nats.url } });
    dir = mkdtempSync(join(tmpdir(), "loomd-"));
    file = join(dir, "loom.yaml");
  });
  afterAll(async () => {
    for (const d of daemons) await d.stop().catch(() => undefined);
    for (const c of children) c.kill("SIGKILL");
    await warp.close();
    await nats.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies a file, stalls on a broken edit keeping the old spec, recovers, prunes, restores drift", async () => {
    writeFileSync(file, config(["alpha", "beta"]));
    const d = await startDaemon({ file, log: silentLogger(), natsUrl: nats.url, debounceMs: 50 });
    daemons.push(d);
    await eventually(async () => (await ready())?.status === true);
    const kv = await spec();
    expect(JSON.parse((await kv.get("targets.alpha"))!.string()).name).toBe("alpha");

    writeFileSync(file, config(["alpha", "beta"]).replace("agentType: script", "agentType: [oops"));
    await eventually(
      async () =>
        (await readStatus(warp.core))?.conditions.find((c) => c.type === "Stalled")?.status === true,
    );
    const stalled = await readStatus(warp.core);
    expect(stalled?.lastError).toMatchObject({ file, line: expect.any(Number), col: expect.any(Number) });
    expect(stalled?.lastError?.line).toBeGreaterThan(1);
    expect((await kv.get("targets.beta"))?.operation).toBe("PUT");

    writeFileSync(file, config(["alpha"]));
    await eventually(
      async () => (await ready())?.status === true && (await kv.get("targets.beta"))?.operation !== "PUT",
    );
    expect((await readStatus(warp.core))?.inventory).not.toHaveProperty("targets.beta");

    await kv.put("targets.alpha", JSON.stringify({ name: "alpha", maxInstances: 999 }));
    await d.reconcileNow();
    expect(JSON.parse((await kv.get("targets.alpha"))!.string()).maxInstances).toBe(1);
    expect((await readStatus(warp.core))?.drift).toEqual(["targets.alpha"]);
    const stream = await warp.core.jsm.streams.info("LOOM_CHAN_e2e_roadmap");
    expect(stream.config.max_msgs).toBe(100);

    // An editor that saves by writing a temp file and renaming it over loom.yaml.
    writeFileSync(join(dir, ".loom.yaml.swp"), config(["alpha", "gamma"]));
    renameSync(join(dir, ".loom.yaml.swp"), file);
    await eventually(async () => (await kv.get("targets.gamma"))?.operation === "PUT");
    await d.stop();
    daemons.pop();
  });

  it("keeps runtime overrides apart from the spec, across restarts", async () => {
    writeFileSync(file, config(["alpha"]));
    execFileSync(process.execPath, [
      LOOMD,
      "override",
      "disable-target",
      "alpha",
      "--nats",
      nats.url,
      "-f",
      file,
    ]);
    const d = await startDaemon({ file, log: silentLogger(), natsUrl: nats.url });
    daemons.push(d);
    await eventually(async () =>
      Object.keys((await readStatus(warp.core))?.overrides ?? {}).includes("targets.alpha.disabled"),
    );
    const out = execFileSync(process.execPath, [
      LOOMD,
      "status",
      "--json",
      "--nats",
      nats.url,
      "-f",
      file,
    ]).toString();
    expect(JSON.parse(out).overrides).toHaveProperty("targets.alpha.disabled");
    expect(
      (await (await ensureKv(warp.core.nc, OVERRIDES_BUCKET)).get("targets.alpha.disabled"))?.operation,
    ).toBe("PUT");
    await d.stop();
    daemons.pop();
  });

  it("validate and plan through the real binary, with exit codes", () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      config(["alpha"]).replace("boundaries: [personal]", "boundaries: [nowhere]"),
    );
    let code = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, [LOOMD, "validate", join(dir, "bad.yaml")], { stdio: "pipe" });
    } catch (err) {
      code = (err as { status: number }).status;
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /bad\.yaml:8:\d+: targets\[0\]\.boundaries\[0\]: boundary "nowhere" is not declared/,
    );
    writeFileSync(file, config(["alpha", "delta"]));
    const plan = JSON.parse(
      execFileSync(process.execPath, [LOOMD, "plan", file, "--json", "--nats", nats.url]).toString(),
    );
    expect(
      plan.actions
        .filter((a: { op: string }) => a.op !== "noop")
        .map((a: { op: string; key: string }) => `${a.op} ${a.key}`),
    ).toContain("create targets.delta");
    expect(readFileSync(file, "utf8")).toContain("delta");
  });

  it("follows a git branch: reconciles only what is committed, reports the commit, stalls on a bad commit", async () => {
    mkdirSync(join(dir, "fleet"));
    const repo = gitRepo(join(dir, "fleet"));
    const first = repo.commit("loom.yaml", config(["alpha", "from-git"]));
    writeFileSync(file, `version: 1\nproject: e2e\nsource:\n  git: { repo: fleet, interval: 200ms }\n`);
    const d = await startDaemon({ file, log: silentLogger(), natsUrl: nats.url, debounceMs: 50 });
    daemons.push(d);
    const kv = await spec();
    await eventually(async () => (await readStatus(warp.core))?.lastAppliedRevision?.gitCommit === first);
    expect((await kv.get("targets.from-git"))?.operation).toBe("PUT");
    expect((await readStatus(warp.core))?.lastAppliedRevision).toMatchObject({
      gitCommit: first,
      branch: "main",
      file: "loom.yaml",
      dirty: false,
    });

    // An uncommitted edit in a work tree of the repository is never applied.
    writeFileSync(join(repo.dir, "loom.yaml"), config(["alpha", "from-git", "uncommitted"]));
    const second = repo.commit("other.txt", "unrelated");
    await eventually(async () => (await readStatus(warp.core))?.lastAppliedRevision?.gitCommit === second);
    expect((await kv.get("targets.uncommitted"))?.operation).not.toBe("PUT");

    // A bad commit stalls with the commit in the position; the last good spec stays.
    const bad = repo.commit("loom.yaml", config(["alpha"]).replace("agentType: script", "agentType: [oops"));
    await eventually(
      async () => (await readStatus(warp.core))?.lastError?.file === `loom.yaml@${bad.slice(0, 12)}`,
    );
    const stalled = await readStatus(warp.core);
    expect(stalled?.conditions.find((c) => c.type === "Stalled")).toMatchObject({
      status: true,
      reason: "ConfigInvalid",
    });
    expect((await kv.get("targets.from-git"))?.operation).toBe("PUT");

    const fixed = repo.commit("loom.yaml", config(["alpha"]));
    await eventually(
      async () =>
        (await readStatus(warp.core))?.lastAppliedRevision?.gitCommit === fixed &&
        (await kv.get("targets.from-git"))?.operation !== "PUT",
    );
    expect((await ready())?.message).toContain(`commit ${fixed.slice(0, 12)} of main`);
    await d.stop();
    daemons.pop();
  });

  it("fails over: kill -9 the leader and the standby takes over within the lease", async () => {
    // The earlier tests ran daemons on the default 10 s lease: this one also proves that a shorter
    // daemon.leaderLease is applied to the existing lease bucket instead of failing the start.
    writeFileSync(file, config(["alpha"], "daemon: { leaderLease: 2s }"));
    const start = (_id: string) => {
      const c = spawn(process.execPath, [LOOMD, "run", file, "--nats", nats.url], {
        env: { ...process.env, LOG_LEVEL: "warn" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      c.stderr?.on("data", (b: Buffer) => process.stderr.write(`[loomd ${_id}] ${b}`));
      children.push(c);
      return c;
    };
    const first = start("a");
    await eventually(
      async () => (await readStatus(warp.core))?.leader?.id.endsWith(`:${first.pid}`) === true,
      30_000,
    );
    const second = start("b");
    // Let the standby start and begin campaigning before the leader dies (slow when the suite is busy).
    await new Promise((r) => setTimeout(r, 3_000));
    first.kill("SIGKILL");
    const t0 = Date.now();
    writeFileSync(file, config(["alpha", "epsilon"], "daemon: { leaderLease: 2s }"));
    await eventually(
      async () =>
        (await readStatus(warp.core))?.leader?.id.endsWith(`:${second.pid}`) === true &&
        (await (await spec()).get("targets.epsilon"))?.operation === "PUT",
      30_000,
    );
    // Lease 2 s: about 3 s on an idle machine (expiry plus a campaign tick plus a reconcile). The bound
    // is loose because this file shares two cores with 20 agent processes in the full suite.
    expect(Date.now() - t0).toBeLessThan(20_000);
    second.kill("SIGTERM");
  }, 90_000);

  it("starts and stops an embedded NATS", async () => {
    const port = await freePort();
    const edir = mkdtempSync(join(tmpdir(), "loomd-emb-"));
    const efile = join(edir, "loom.yaml");
    writeFileSync(
      efile,
      config(["alpha"]).replace(
        "project: e2e",
        `project: e2e\nnats: { url: embedded, embedded: { port: ${port} } }`,
      ),
    );
    const c = spawn(process.execPath, [LOOMD, "run", efile], {
      env: { ...process.env, LOG_LEVEL: "error" },
      stdio: "ignore",
    });
    children.push(c);
    const w = await eventually(
      async () =>
        connectWarp({ project: "e2e", nats: { servers: `nats://127.0.0.1:${port}`, timeoutMs: 500 } }),
      10_000,
      200,
    );
    await eventually(
      async () => (await readStatus(w.core))?.conditions.find((x) => x.type === "Ready")?.status === true,
      10_000,
    );
    await w.close();
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await exited;
    await expect(
      connectWarp({ project: "e2e", nats: { servers: `nats://127.0.0.1:${port}`, timeoutMs: 500 } }),
    ).rejects.toMatchObject({ code: "NATS_UNREACHABLE" });
    rmSync(edir, { recursive: true, force: true });
  }, 30_000);
});
