/**
 * The one shared harness for tests that need NATS: it starts a real `nats-server -js` on a random
 * loopback port with a temporary store, can stop and restart it on the same port and store (fault
 * tests), can start a 3-node JetStream cluster, and cleans up even when a test fails.
 *
 * It never touches a NATS server that may already run on 127.0.0.1:4222.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** A running (or stopped) nats-server owned by a test. */
export interface TestNats {
  /** `nats://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** JetStream store directory (kept across restart). */
  readonly storeDir: string;
  /** Stop the server gracefully (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** SIGKILL the server, as a crash would. */
  kill(): Promise<void>;
  /** Start it again on the same port and store. */
  restart(): Promise<void>;
  /** Stop it and delete its store. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Options for {@link startNats}. */
export interface StartNatsOptions {
  /** Enable JetStream (default true). */
  jetstream?: boolean;
  /** Extra nats-server config lines (nats-server config syntax). */
  config?: string;
  /** Use this port instead of a random one. */
  port?: number;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const p of live) p.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
}

/** A free TCP port on loopback (bind to 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === "object") resolve(addr.port);
        else reject(new Error("could not allocate a port"));
      });
    });
  });
}

/** Throws a clear error when nats-server is not installed. */
export function assertNatsServerInstalled(): void {
  try {
    execFileSync("nats-server", ["--version"], { stdio: "pipe" });
  } catch {
    throw new Error(
      "nats-server is not on PATH. Install it (Debian/Ubuntu: `apt-get install nats-server`; " +
        "or download from the NATS releases) and run the tests again.",
    );
  }
}

function spawnServer(configFile: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("nats-server", ["-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
    live.add(child);
    let log = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`nats-server did not become ready within 10 s:\n${log}`));
    }, 10_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Server is ready")) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        resolve(child);
      }
    });
    child.on("exit", (code) => {
      live.delete(child);
      clearTimeout(timer);
      reject(new Error(`nats-server exited with code ${code} before it was ready:\n${log}`));
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function waitExit(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(t);
      live.delete(child);
      resolve();
    });
    child.kill(signal);
  });
}

/** Start a real nats-server (JetStream on by default) on a random loopback port with a temp store. */
export async function startNats(opts: StartNatsOptions = {}): Promise<TestNats> {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), "loom-nats-"));
  dirs.add(dir);
  const storeDir = join(dir, "store");
  const configFile = join(dir, "nats.conf");
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = opts.port ?? (await freePort());
    const lines = [
      `listen: "127.0.0.1:${port}"`,
      `server_name: "test-${port}"`,
      opts.jetstream === false ? "" : `jetstream { store_dir: "${storeDir}" }`,
      opts.config ?? "",
    ];
    writeFileSync(configFile, lines.join("\n"));
    try {
      let child = await spawnServer(configFile);
      const server: TestNats = {
        url: `nats://127.0.0.1:${port}`,
        port,
        storeDir,
        stop: () => waitExit(child, "SIGTERM", 5_000),
        kill: () => waitExit(child, "SIGKILL", 0),
        restart: async () => {
          await waitExit(child, "SIGTERM", 5_000);
          child = await spawnServer(configFile);
        },
        dispose: async () => {
          await waitExit(child, "SIGTERM", 5_000);
          rmSync(dir, { recursive: true, force: true });
          dirs.delete(dir);
        },
      };
      return server;
    } catch (err) {
      lastError = err;
      if (opts.port !== undefined) break;
    }
  }
  throw lastError;
}

/** A 3-node JetStream cluster on loopback. */
export interface TestCluster {
  /** Comma-separated client URLs of every node. */
  readonly url: string;
  readonly nodes: TestNats[];
  dispose(): Promise<void>;
}

/** Start an N-node (default 3) JetStream cluster, every node on loopback with its own store. */
export async function startCluster(size = 3): Promise<TestCluster> {
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = clusterPorts.map((p) => `nats-route://127.0.0.1:${p}`).join(", ");
  const nodes = await Promise.all(
    clusterPorts.map((cp) =>
      startNats({
        config: `cluster { name: "loom-test", listen: "127.0.0.1:${cp}", routes: [${routes}] }`,
      }),
    ),
  );
  await waitForJetStream(nodes.map((n) => n.url));
  return {
    url: nodes.map((n) => n.url).join(","),
    nodes,
    dispose: async () => {
      await Promise.all(nodes.map((n) => n.dispose()));
    },
  };
}

/** Wait (up to 20 s) until JetStream answers API requests: a new cluster needs a meta leader first. */
export async function waitForJetStream(servers: string[]): Promise<void> {
  const nc = await connect({ servers });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2_000 });
        await jsm.getAccountInfo();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await nc.close();
  }
}
