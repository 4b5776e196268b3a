#!/usr/bin/env node
/**
 * `warp`: the MCP server agents load. Stdio by default; `--http HOST:PORT` for Streamable HTTP.
 * Heavy modules (NATS) load on first use, so `tools/list` answers at once and without NATS.
 */
import { Command } from "commander";
import { LoomError } from "../errors.js";
import { createLogger } from "../log.js";
import { WARP_VERSION } from "./server.js";
import { createSession, type ServerSession } from "./session.js";
import { parseToolsets } from "./toolsets.js";

const EXIT_USAGE = 2;

function sessionFactory(env: NodeJS.ProcessEnv, log: ReturnType<typeof createLogger>): () => ServerSession {
  const heartbeat = env.WARP_HEARTBEAT_MS ? Number(env.WARP_HEARTBEAT_MS) : undefined;
  return () =>
    createSession({
      env,
      log,
      connect: async () => {
        const [{ connectWarp }, { resolveProject }] = await Promise.all([
          import("../warp.js"),
          import("../project.js"),
        ]);
        const project = resolveProject({ env });
        log.info({ project: project.project, source: project.source }, "connecting");
        return connectWarp({
          project: project.project,
          channels: project.channels,
          nats: { name: `warp:${project.project}` },
          log,
          env,
          ...(heartbeat && heartbeat > 0 ? { heartbeatMs: heartbeat } : {}),
        });
      },
    });
}

async function main(): Promise<void> {
  const program = new Command("warp")
    .description("Loom's MCP server: channels, agents, direct messages and shared work over NATS JetStream.")
    .version(WARP_VERSION)
    .option(
      "--http <host:port>",
      "serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio (e.g. 127.0.0.1:8765)",
    )
    .option(
      "--allow-origin <origin...>",
      "with --http: also accept these browser Origins (loopback is always accepted)",
    )
    .option(
      "--toolsets <list>",
      "comma-separated toolsets to expose: messaging,registry,work (env WARP_TOOLSETS)",
    )
    .addHelpText(
      "after",
      `
Environment:
  NATS_URL            nats://, tls://, ws:// or wss:// URL(s), comma-separated (default nats://127.0.0.1:4222)
  NATS_USER/NATS_PASS, NATS_TOKEN, NATS_CREDS, NATS_CA/NATS_CERT/NATS_KEY   credentials and TLS
  LOOM_PROJECT        project name (default: .loom-config.json, else the git top-level directory name)
  WARP_HANDLE         handle to use before register_agent
  WARP_TOOLSETS       same as --toolsets
  WARP_HEARTBEAT_MS   heartbeat interval (default 10000); offline after three missed
  LOG_LEVEL, LOG_FORMAT   logging on stderr (info; json or text)

Exit codes: 0 clean shutdown, 1 runtime failure, 2 usage error.`,
    );
  program.parse();
  const opts = program.opts<{ http?: string; allowOrigin?: string[]; toolsets?: string }>();
  const env = process.env;
  const log = createLogger({ name: "warp" });
  const toolsets = parseToolsets(opts.toolsets ?? env.WARP_TOOLSETS);
  const newSession = sessionFactory(env, log);

  if (opts.http) {
    const m = /^(.+):(\d+)$/.exec(opts.http);
    if (!m)
      throw new LoomError("INVALID_ARGUMENT", `--http "${opts.http}" is not HOST:PORT.`, {
        hint: "e.g. --http 127.0.0.1:8765",
      });
    const { serveHttp } = await import("./http.js");
    const host = (m[1] as string).replace(/^\[|\]$/g, "");
    const server = await serveHttp({
      host,
      port: Number(m[2]),
      toolsets,
      log,
      newSession,
      ...(opts.allowOrigin ? { allowedOrigins: opts.allowOrigin } : {}),
    });
    log.info({ url: `http://${opts.http}/mcp` }, "serving Streamable HTTP");
    const stop = () => server.close(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    return;
  }

  const [{ StdioServerTransport }, { createWarpServer }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/stdio.js"),
    import("./server.js"),
  ]);
  const session = newSession();
  const server = createWarpServer({ session, toolsets, log });
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, "shutting down");
    await session.shutdown();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.stdin.once("end", () => void shutdown("stdin closed"));
  process.stdin.once("close", () => void shutdown("stdin closed"));
  await server.connect(new StdioServerTransport());
}

main().catch((err: unknown) => {
  const usage = err instanceof LoomError && err.code === "INVALID_ARGUMENT";
  process.stderr.write(`warp: ${err instanceof LoomError ? err.describe() : String(err)}\n`);
  process.exit(usage ? EXIT_USAGE : 1);
});
