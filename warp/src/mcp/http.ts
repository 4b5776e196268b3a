/**
 * Streamable HTTP for the warp MCP server: one McpServer and session per MCP session id, on loopback
 * by default. Requests whose Origin or Host is not loopback (or explicitly allowed) are refused, which
 * stops DNS-rebinding attacks from a browser page.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Logger } from "../log.js";
import { createWarpServer } from "./server.js";
import type { ServerSession } from "./session.js";
import type { Toolset } from "./tool.js";

/** Options for {@link serveHttp}. */
export interface HttpOptions {
  host: string;
  port: number;
  /** Extra allowed Origin values (e.g. `https://my-tool.example`). Loopback origins are always allowed. */
  allowedOrigins?: string[];
  toolsets: Set<Toolset>;
  log: Logger;
  newSession: () => ServerSession;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** True when the request's Origin (if any) and Host are acceptable. */
export function requestAllowed(
  req: Pick<IncomingMessage, "headers">,
  bindHost: string,
  allowed: string[] = [],
): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).hostname;
    } catch {
      return false;
    }
    if (!LOOPBACK.has(host) && !allowed.includes(origin)) return false;
  }
  const hostHeader = (req.headers.host ?? "").replace(/:\d+$/, "");
  return LOOPBACK.has(hostHeader) || hostHeader === bindHost;
}

/** Serve MCP over Streamable HTTP at `http://host:port/mcp`. Resolves once listening. */
export async function serveHttp(o: HttpOptions): Promise<Server> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; session: ServerSession }>();
  const server = createServer(async (req, res) => {
    try {
      if (!requestAllowed(req, o.host, o.allowedOrigins)) {
        res
          .writeHead(403, { "content-type": "text/plain" })
          .end("Forbidden: origin or host not allowed (see warp --allow-origin).\n");
        return;
      }
      if (!req.url?.startsWith("/mcp")) {
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the MCP endpoint is /mcp.\n");
        return;
      }
      const sid = req.headers["mcp-session-id"];
      let entry = typeof sid === "string" ? sessions.get(sid) : undefined;
      if (!entry) {
        if (typeof sid === "string") {
          res
            .writeHead(404, { "content-type": "text/plain" })
            .end("Unknown MCP session; initialize again.\n");
          return;
        }
        const session = o.newSession();
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            sessions.set(id, { transport, session });
          },
        });
        transport.onclose = () => {
          if (transport.sessionId) sessions.delete(transport.sessionId);
          void session.shutdown();
        };
        await createWarpServer({ session, toolsets: o.toolsets, log: o.log }).connect(transport);
        entry = { transport, session };
      }
      await entry.transport.handleRequest(req, res);
    } catch (err) {
      o.log.error({ err }, "http request failed");
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  server.on("close", () => {
    for (const { session } of sessions.values()) void session.shutdown();
  });
  return server;
}
