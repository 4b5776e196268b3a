/**
 * The warp facade: one connected core plus every messaging module built on it. This is what the
 * MCP server, the daemon and shuttle hold.
 */
import { type Channels, createChannels } from "./channels.js";
import { type OpenCoreOptions, openCore, type WarpCore } from "./core.js";
import { createDirectMessages, type DirectMessages } from "./dm.js";
import type { ChannelConfig } from "./project.js";
import { createRegistry, type Registry } from "./registry.js";
import { createWorkPipeline, type WorkPipeline } from "./work/pipeline.js";

/** A connected warp. */
export interface Warp {
  readonly core: WarpCore;
  readonly project: string;
  readonly channels: Channels;
  readonly registry: Registry;
  readonly dm: DirectMessages;
  readonly work: WorkPipeline;
  /** Drain and close the connection. */
  close(): Promise<void>;
}

/** Options for {@link connectWarp}. */
export interface ConnectWarpOptions extends OpenCoreOptions {
  /** Channels to ensure (defaults: roadmap, parallel-work, errors). */
  channels?: ChannelConfig[];
  /** Heartbeat interval for registered agents in ms (default 10 000). */
  heartbeatMs?: number;
  /**
   * Keep a live copy of the agent registry, started on the first discovery or registration (default
   * true). Discovery then reads memory; other processes' writes arrive through a KV watch, within
   * milliseconds.
   */
  registryCache?: boolean;
}

/** Connect to NATS and build every warp module on that one connection. */
export async function connectWarp(opts: ConnectWarpOptions): Promise<Warp> {
  const core = await openCore(opts);
  const registry = createRegistry(core, {
    ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }),
    cache: opts.registryCache ?? true,
  });
  return {
    core,
    project: core.project,
    channels: createChannels(core, opts.channels === undefined ? {} : { channels: opts.channels }),
    registry,
    dm: createDirectMessages(core),
    work: createWorkPipeline(core, { registry }),
    close: () => core.close(),
  };
}
