/** What every loomd command gets: output writers, the environment, and the fixed exit codes. */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { connectWarp, isLoomError, LoomError, type Warp } from "../../../warp/src/index.js";
import { loadConfigFile } from "../config/index.js";

/** Exit codes (documented in docs/daemon.md and `loomd --help`). */
export const EXIT = { ok: 0, invalid: 1, usage: 2, natsUnreachable: 3 } as const;

/** Injected I/O, so commands are testable in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Set the process exit code. */
  exit(code: number): void;
}

/** The real process I/O. */
export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
  env: process.env,
  exit: (c) => {
    process.exitCode = c;
  },
};

/** The NATS URL a one-shot command should use: --nats, else the file's (embedded → its loopback port). */
export async function natsUrlFor(
  file: string,
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (flag) return flag;
  const loaded = await loadConfigFile(file, { env });
  let nats: { url?: unknown; embedded?: { port?: unknown } } | undefined;
  if (loaded.ok) nats = loaded.config.nats;
  else {
    // A broken edit is exactly when status matters: read the NATS location from the raw YAML if we can.
    try {
      nats = (parseYaml(readFileSync(file, "utf8")) as { nats?: typeof nats } | null)?.nats;
    } catch {
      throw new LoomError(
        "CONFIG_INVALID",
        `${file} cannot be parsed, so loomd cannot tell which NATS to use.`,
        { hint: "Pass --nats URL, or fix the YAML (loomd validate)." },
      );
    }
  }
  const url = typeof nats?.url === "string" ? nats.url : "embedded";
  const port = typeof nats?.embedded?.port === "number" ? nats.embedded.port : 4222;
  return url === "embedded" ? `nats://127.0.0.1:${port}` : url;
}

/** Connect for a one-shot command; unreachable NATS becomes exit 3 with a hint. */
export async function connectFor(url: string, io: CliIO): Promise<Warp | undefined> {
  try {
    return await connectWarp({
      project: "loomd",
      nats: { servers: url, name: "loomd-cli", timeoutMs: 3_000 },
      env: io.env,
    });
  } catch (err) {
    io.err(`loomd: ${isLoomError(err) ? err.describe() : String(err)}`);
    io.err("Is loomd running (npm start), or is --nats right?");
    io.exit(EXIT.natsUnreachable);
    return undefined;
  }
}
