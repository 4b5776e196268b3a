/**
 * warp, the library: connect to NATS, and use channels, the registry, direct messages and the work
 * pipeline. The MCP server lives in `warp/src/mcp` and is not pulled in from here.
 */
export { type ChannelInfo, type ChannelMessage, type Channels, createChannels } from "./channels.js";
export { type Clock, formatDuration, parseDuration, systemClock } from "./clock.js";
export { connectNats, type NatsSettings, resolveNatsSettings } from "./connection.js";
export { type OpenCoreOptions, openCore, type WarpCore } from "./core.js";
export { createDirectMessages, type DirectMessage, type DirectMessages, type DmStatus } from "./dm.js";
export { fromNatsError, isLoomError, isRevisionConflict, LoomError, type LoomErrorCode } from "./errors.js";
export { ensureKv, ensureStream } from "./jetstream.js";
export { type RawEntry, readLatestEntries } from "./kv-scan.js";
export { createLogger, type Logger, silentLogger } from "./log.js";
export {
  AGENTS_BUCKET,
  assertToken,
  EVENTS_STREAM,
  eventsFilter,
  kvStream,
  kvSubject,
  LEADER_BUCKET,
  LEADER_KEY,
  OVERRIDES_BUCKET,
  SPEC_BUCKET,
  STATUS_BUCKET,
  sanitizeProject,
  TOKEN_RE,
  WORK_BUCKET,
} from "./names.js";
export { type ChannelConfig, DEFAULT_CHANNELS, type ProjectConfig, resolveProject } from "./project.js";
export {
  type AgentRecord,
  type AgentStatus,
  type AgentView,
  createRegistry,
  type Registry,
  type Viewer,
} from "./registry.js";
export { type ConnectWarpOptions, connectWarp, type Warp } from "./warp.js";
export { type JanitorOptions, type SweepReport, startJanitor, sweep } from "./work/janitor.js";
export {
  type Claimer,
  createWorkPipeline,
  type SubmitInput,
  type WorkItem,
  type WorkPipeline,
  type WorkPipelineOptions,
} from "./work/pipeline.js";
export { claimPairs, eligible } from "./work/route.js";
export {
  isClaimable,
  retryBackoff,
  transition,
  type WorkAction,
  type WorkStatus,
} from "./work/state-machine.js";
