/* Generated from schemas/agent.schema.json by `npm run gen:schemas`. Do not edit. */

/**
 * An agent in the registry (KV bucket loom-agents, key <project>.<guid>).
 */
export interface AgentRecord {
/**
 * Stable id; a handle that comes back on the same host and project keeps it.
 */
guid: string
/**
 * Human-readable name, e.g. reviewer-1.
 */
handle: string
/**
 * claude-code, copilot-cli, script, ...
 */
agentType: string
/**
 * What work it can take, e.g. typescript.
 */
capabilities: string[]
/**
 * Boundaries it belongs to, e.g. personal.
 */
boundaries: string[]
hostname: string
username: string
project: string
/**
 * private: only itself; project-only: same project; user-only: same user; public: everyone.
 */
visibility: ("private" | "project-only" | "user-only" | "public")
status: ("online" | "busy" | "draining" | "offline")
currentTaskCount: number
maxConcurrent: number
/**
 * Set when loomd launched this agent.
 */
launchId?: string
/**
 * The loom.yaml target that launched it.
 */
target?: string
/**
 * The NATS URL it uses (shown to its own project only).
 */
natsUrl?: string
registeredAt: string
lastHeartbeat: string
/**
 * Its heartbeat interval; offline after 3 missed.
 */
heartbeatMs: number
/**
 * Free-form extra data.
 */
metadata?: {

}
}
