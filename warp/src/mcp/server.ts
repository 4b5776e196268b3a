/**
 * The warp MCP server: registers every tool of the selected toolsets, shapes results (structured
 * content, inbox counts, `Error:` results), and exposes channels and the inbox as subscribable
 * resources, so clients that support subscriptions are told about new messages without polling.
 */
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import { dmSubject } from "../names.js";
import { errorResult, errorText, okResult } from "./result.js";
import type { ServerSession } from "./session.js";
import type { ToolSpec, Toolset } from "./tool.js";
import { TOOLS } from "./tools/index.js";

/** The package version reported to clients. */
export const WARP_VERSION = "0.1.0";

/** Options for {@link createWarpServer}. */
export interface WarpServerOptions {
  session: ServerSession;
  toolsets: Set<Toolset>;
  log: Logger;
}

/** Build an McpServer for one session. */
export function createWarpServer(opts: WarpServerOptions): McpServer {
  const server = new McpServer(
    { name: "warp", version: WARP_VERSION },
    {
      capabilities: { resources: { subscribe: true, listChanged: false } },
      instructions:
        "Loom warp: channels, agents, direct messages and shared work. Call register_agent first; every result ends with your unread direct messages and claimable work.",
    },
  );
  // The SDK reports invalid arguments as isError results whose text starts "Input validation error";
  // our contract is that every failure text starts "Error:", so wrap the SDK's private formatter.
  Object.assign(server, {
    createToolError: (message: string) => ({
      content: [{ type: "text", text: errorText(message) }],
      isError: true,
    }),
  });
  for (const spec of TOOLS) {
    if (opts.toolsets.has(spec.toolset)) register(server, spec as unknown as ToolSpec, opts.session);
  }
  registerResources(server, opts.session, opts.log);
  return server;
}

function register(server: McpServer, spec: ToolSpec, session: ServerSession): void {
  server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.input,
      outputSchema: spec.output,
      annotations: { title: spec.title, ...spec.annotations },
    },
    async (args: Record<string, unknown>) => {
      try {
        const reply = await spec.handler(args as never, session);
        return okResult(
          reply.text,
          reply.data as Record<string, unknown>,
          await session.counts().catch(() => undefined),
        );
      } catch (err) {
        session.log.debug({ err, tool: spec.name }, "tool failed");
        return errorResult(err, await session.counts().catch(() => undefined));
      }
    },
  );
}

function registerResources(server: McpServer, session: ServerSession, log: Logger): void {
  server.registerResource(
    "channel",
    new ResourceTemplate("warp://channels/{name}", { list: undefined }),
    {
      title: "Channel history",
      description: "The newest 50 messages of a channel.",
      mimeType: "application/json",
    },
    async (uri, vars) => {
      const warp = await session.warp();
      const messages = await warp.channels.read(String(vars.name));
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(messages) }] };
    },
  );
  server.registerResource(
    "inbox",
    "warp://inbox",
    {
      title: "Inbox",
      description: "How many direct messages wait for this agent.",
      mimeType: "application/json",
    },
    async (uri) => {
      const counts = await session.counts();
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: "application/json",
            text: JSON.stringify(counts ?? { registered: false }),
          },
        ],
      };
    },
  );
  const subs = new Map<string, { unsubscribe(): void }>();
  server.server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    const uri = req.params.uri;
    if (subs.has(uri)) return {};
    const warp = await session.warp();
    const subject =
      uri === "warp://inbox"
        ? inboxSubject(session)
        : warp.channels.subject(uri.replace("warp://channels/", ""));
    const sub = warp.core.nc.subscribe(subject, {
      callback: () => {
        server.server
          .sendResourceUpdated({ uri })
          .catch((err: unknown) => log.debug({ err }, "notify failed"));
      },
    });
    subs.set(uri, sub);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    subs.get(req.params.uri)?.unsubscribe();
    subs.delete(req.params.uri);
    return {};
  });
}

function inboxSubject(session: ServerSession): string {
  const agent = session.requireAgent();
  return dmSubject(agent.project, agent.guid);
}
