/**
 * One MCP session's state: the lazily connected warp (so `tools/list` never waits for NATS), who the
 * session is, cached inbox counts, and shutdown.
 */
import { LoomError } from "../errors.js";
import type { Logger } from "../log.js";
import type { AgentRecord } from "../registry.js";
import type { Warp } from "../warp.js";
import type { Session, ToolContext } from "./context.js";
import type { InboxCounts } from "./result.js";

/** Options for {@link createSession}. */
export interface SessionOptions {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Opens the warp (injected; the server passes a lazy connectWarp). */
  connect: () => Promise<Warp>;
}

/** A ToolContext plus the server's needs. */
export interface ServerSession extends ToolContext {
  /** Inbox counts for the registered agent (two cheap stream-info reads); undefined when not registered. */
  counts(): Promise<InboxCounts | undefined>;
  /** Mark the agent offline and drain the connection. */
  shutdown(): Promise<void>;
  /** True once the warp is connected. */
  connected(): boolean;
}

/** Create a session. */
export function createSession(opts: SessionOptions): ServerSession {
  const session: Session = {};
  if (opts.env.WARP_HANDLE) session.handle = opts.env.WARP_HANDLE;
  let warp: Promise<Warp> | undefined;
  let live: Warp | undefined;
  const getWarp = () => {
    warp ??= opts.connect().then(
      (w) => (live = w),
      (err: unknown) => {
        warp = undefined; // try again on the next call
        throw err;
      },
    );
    return warp;
  };
  const requireAgent = (): AgentRecord => {
    if (!session.agent) {
      throw new LoomError("NOT_REGISTERED", "This session has not registered as an agent.", {
        hint: "Call register_agent first (with your handle, agentType and capabilities).",
      });
    }
    return session.agent;
  };
  return {
    session,
    log: opts.log,
    warp: getWarp,
    requireAgent,
    connected: () => live !== undefined,
    async counts() {
      const agent = session.agent;
      if (!agent || !live) return undefined;
      const w = live;
      const [unread, claimable] = await Promise.all([
        w.dm.unreadCount(agent.project, agent.guid).catch(() => 0),
        w.work.claimableCount(agent).catch(() => 0),
      ]);
      return { unreadDirectMessages: unread, claimableWork: claimable };
    },
    async shutdown() {
      await session
        .stopPresence?.()
        .catch((err: unknown) => opts.log.warn({ err }, "could not mark offline"));
      delete session.stopPresence;
      await live?.close().catch(() => undefined);
    },
  };
}
