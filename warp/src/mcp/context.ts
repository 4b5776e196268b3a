/**
 * What a tool handler sees: the warp (connected lazily, so `tools/list` never needs NATS), this
 * session's identity, and a logger (stderr only).
 */
import { userInfo } from "node:os";
import type { Logger } from "../log.js";
import type { AgentRecord } from "../registry.js";
import type { Viewer } from "../registry-visibility.js";
import type { Warp } from "../warp.js";

/** Mutable per-session state: who this MCP session is. */
export interface Session {
  /** Handle chosen with `set_handle` (or from WARP_HANDLE) before or after registering. */
  handle?: string;
  /** The registered agent, once `register_agent` succeeded. */
  agent?: AgentRecord;
  /** Stop heartbeats and mark the agent offline (set while registered). */
  stopPresence?: () => Promise<void>;
}

/** Passed to every tool handler. */
export interface ToolContext {
  /** The connected warp; the first call connects (and may throw NATS_UNREACHABLE). */
  warp(): Promise<Warp>;
  readonly session: Session;
  readonly log: Logger;
  /** The registered agent, or a NOT_REGISTERED LoomError telling the model to call register_agent. */
  requireAgent(): AgentRecord;
}

/** Who is looking, for visibility and redaction: this session's agent (or OS user) in `project`. */
export function viewerOf(session: Session, project: string): Viewer {
  return {
    project,
    username: session.agent?.username ?? userInfo().username,
    ...(session.agent ? { guid: session.agent.guid } : {}),
  };
}
