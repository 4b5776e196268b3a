/**
 * `nats: { url: embedded }`: loomd runs nats-server with JetStream on loopback, its store under the
 * state directory, and stops it on exit.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LoomError } from "../../warp/src/index.js";

/** A running embedded server. */
export interface EmbeddedNats {
  url: string;
  stop(): Promise<void>;
}

/** Start nats-server on 127.0.0.1:`port` with its store in `stateDir/nats`. */
export async function startEmbeddedNats(stateDir: string, port: number): Promise<EmbeddedNats> {
  try {
    execFileSync("nats-server", ["--version"], { stdio: "ignore" });
  } catch (cause) {
    throw new LoomError(
      "NATS_SERVER_MISSING",
      "nats-server is not installed, and loom.yaml asks for an embedded NATS.",
      {
        hint: "Install it (Debian/Ubuntu: sudo apt-get install nats-server; or the release archive from the NATS project), or set nats.url to an existing server.",
        cause,
      },
    );
  }
  const dir = resolve(stateDir, "nats");
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "nats.conf");
  writeFileSync(
    conf,
    `listen: "127.0.0.1:${port}"\nserver_name: "loomd-embedded"\njetstream { store_dir: "${join(dir, "store")}" }\n`,
  );
  const child = spawn("nats-server", ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((ok, fail) => {
    let log = "";
    const t = setTimeout(
      () =>
        fail(new LoomError("NATS_UNREACHABLE", `Embedded nats-server did not start within 10 s:\n${log}`)),
      10_000,
    );
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
      if (log.includes("Server is ready")) {
        clearTimeout(t);
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        ok();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(t);
      const busy = /address already in use/i.test(log);
      fail(
        new LoomError(
          "NATS_UNREACHABLE",
          busy
            ? `Port ${port} is already in use, so the embedded nats-server cannot start.`
            : `Embedded nats-server exited (${code}): ${log.trim()}`,
          {
            hint: busy
              ? "Set nats.embedded.port to a free port in loom.yaml, or point nats.url at the server that owns it."
              : "See the message above.",
          },
        ),
      );
    });
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    const t = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(t);
      r();
    });
    child.kill("SIGTERM");
  });
}
