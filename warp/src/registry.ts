/**
 * The agent registry and presence. Records live in one KV bucket for all projects; every write is a
 * compare-and-set on the key's revision, so a heartbeat never overwrites a presence change. Liveness is
 * computed by whoever reads: an agent silent for three of its heartbeat intervals is offline, with or
 * without a daemon.
 */

import { randomUUID } from "node:crypto";
import { hostname as osHostname, userInfo } from "node:os";
import type { KV } from "@nats-io/kv";
import type { AgentRecord } from "../../schemas/src/index.js";
import type { WarpCore } from "./core.js";
import { fromNatsError, isRevisionConflict, LoomError } from "./errors.js";
import { ensureKv, ensureStream } from "./jetstream.js";
import { readLatest } from "./kv-scan.js";
import {
  AGENTS_BUCKET,
  agentEventSubject,
  agentKey,
  EVENTS_STREAM,
  EVENTS_STREAM_SUBJECTS,
} from "./names.js";
import { type AgentCache, startAgentCache } from "./registry-cache.js";
import { type AgentView, canSee, redact, type Viewer } from "./registry-visibility.js";

export type { AgentRecord } from "../../schemas/src/index.js";
export type { AgentView, Viewer } from "./registry-visibility.js";

/** Agent status values. */
export type AgentStatus = AgentRecord["status"];
/** Visibility values. */
export type Visibility = AgentRecord["visibility"];

/** What an agent says about itself when it registers. */
export interface RegisterInput {
  handle: string;
  agentType: string;
  capabilities?: string[];
  boundaries?: string[];
  visibility?: Visibility;
  maxConcurrent?: number;
  hostname?: string;
  username?: string;
  launchId?: string;
  target?: string;
  natsUrl?: string;
  metadata?: Record<string, unknown>;
}

/** Discovery filters; all optional, combined with AND. */
export interface DiscoverFilter {
  agentType?: string;
  capability?: string;
  boundary?: string;
  hostname?: string;
  status?: AgentStatus;
  /** Only this project (default: every project the viewer may see). */
  project?: string;
  /** Include offline agents (default false unless `status: "offline"`). */
  includeOffline?: boolean;
  limit?: number;
}

/** Registry operations; writes go to `core.project`. */
export interface Registry {
  readonly heartbeatMs: number;
  register(input: RegisterInput): Promise<AgentRecord>;
  /** One record (with effective status), or undefined. Searches other projects when `project` is omitted. */
  get(guid: string, project?: string): Promise<AgentRecord | undefined>;
  /** Visible agents matching `filter`, newest heartbeat first, redacted for `viewer`. */
  discover(filter: DiscoverFilter, viewer: Viewer): Promise<AgentView[]>;
  updatePresence(
    guid: string,
    patch: { status?: AgentStatus; currentTaskCount?: number },
  ): Promise<AgentRecord>;
  heartbeat(guid: string): Promise<AgentRecord>;
  /** Heartbeat every `heartbeatMs` until stopped; stop marks the agent offline. */
  startPresence(guid: string): { stop(): Promise<void> };
  /** Mark offline (keeping the guid for a comeback); `forget` deletes the record. */
  deregister(guid: string, opts?: { forget?: boolean }): Promise<void>;
  effectiveStatus(rec: AgentRecord, now?: number): AgentStatus;
  /** Mark every stale agent (any project) offline; returns the ones it marked. */
  markStaleOffline(now?: number): Promise<AgentRecord[]>;
}

/** Build the registry for `core.project`. */
export function createRegistry(
  core: WarpCore,
  opts: {
    heartbeatMs?: number;
    /**
     * Keep a live copy of the registry (loaded on first use, then followed by a KV watch) so that
     * discovery and registration read memory instead of scanning the bucket. For long-running processes.
     */
    cache?: boolean;
  } = {},
): Registry {
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  let eventsReady: Promise<unknown> | undefined;
  const kv = () => ensureKv(core.nc, AGENTS_BUCKET, { history: 1 });
  let cacheStart: Promise<AgentCache | undefined> | undefined;
  let cache: AgentCache | undefined;
  /** The live cache, started on first use and restarted if its watch ended; undefined to scan. */
  const liveCache = async (): Promise<AgentCache | undefined> => {
    if (!opts.cache || core.nc.isClosed()) return undefined;
    if (cache?.live()) return cache;
    cache?.close();
    cache = undefined;
    cacheStart ??= kv()
      .then((bucket) => startAgentCache(core, bucket))
      .then(
        (c) => {
          cache = c;
          return c;
        },
        (err: unknown) => {
          core.log.warn({ err }, "could not start the agent registry cache; scanning instead");
          return undefined;
        },
      )
      .finally(() => {
        cacheStart = undefined;
      });
    return cacheStart;
  };
  const iso = () => new Date(core.clock.now()).toISOString();
  const effectiveStatus = (rec: AgentRecord, now = core.clock.now()): AgentStatus =>
    rec.status !== "offline" && now - Date.parse(rec.lastHeartbeat) > 3 * rec.heartbeatMs
      ? "offline"
      : rec.status;

  const emit = async (rec: AgentRecord, type: string) => {
    eventsReady ??= ensureStream(core.jsm, {
      name: EVENTS_STREAM,
      subjects: EVENTS_STREAM_SUBJECTS,
      max_age: 7 * 86_400e9,
    });
    await eventsReady;
    const ev = {
      type,
      guid: rec.guid,
      handle: rec.handle,
      project: rec.project,
      status: rec.status,
      at: iso(),
    };
    await core.js
      .publish(agentEventSubject(rec.project, rec.guid), JSON.stringify(ev))
      .catch((err: unknown) => {
        core.log.warn({ err }, "could not publish presence event");
      });
  };

  /** Read-modify-write with CAS; re-reads and re-applies on conflict. */
  const mutate = async (
    project: string,
    guid: string,
    fn: (r: AgentRecord) => AgentRecord,
  ): Promise<AgentRecord> => {
    const bucket = await kv();
    const key = agentKey(project, guid);
    for (let attempt = 0; ; attempt++) {
      const entry = await bucket.get(key).catch((err: unknown) => {
        throw fromNatsError(err, `reading agent ${guid}`, core.where);
      });
      if (entry?.operation !== "PUT") {
        throw new LoomError("NOT_REGISTERED", `Agent ${guid} is not registered in project ${project}.`, {
          hint: "Call register_agent first.",
        });
      }
      const next = fn(entry.json<AgentRecord>());
      try {
        const revision = await bucket.update(key, JSON.stringify(next), entry.revision);
        cache?.apply(key, next, revision);
        return next;
      } catch (err) {
        if (!isRevisionConflict(err) || attempt >= 20)
          throw fromNatsError(err, `updating agent ${guid}`, core.where);
      }
    }
  };

  const all = async (project = "*"): Promise<AgentRecord[]> => {
    const c = await liveCache();
    if (c) return c.records(project);
    await kv(); // creates the bucket on a server that has none yet
    return readLatest<AgentRecord>(core, AGENTS_BUCKET, `${project}.*`);
  };

  const registry: Registry = {
    heartbeatMs,
    effectiveStatus,
    async register(input) {
      return register(core, await kv(), input, heartbeatMs, all, iso).then(async ({ rec, revision }) => {
        cache?.apply(agentKey(rec.project, rec.guid), rec, revision);
        await emit(rec, "agent.online");
        return rec;
      });
    },
    async get(guid, project) {
      const bucket = await kv();
      const projects = project ? [project] : [core.project];
      for (const p of projects) {
        const e = await bucket.get(agentKey(p, guid));
        if (e && e.operation === "PUT") {
          const r = e.json<AgentRecord>();
          return { ...r, status: effectiveStatus(r) };
        }
      }
      if (project) return undefined;
      const found = (await all()).find((r) => r.guid === guid);
      return found ? { ...found, status: effectiveStatus(found) } : undefined;
    },
    async discover(filter, viewer) {
      const now = core.clock.now();
      const recs = (await all(filter.project ?? "*")).map((r) => ({ ...r, status: effectiveStatus(r, now) }));
      const wantOffline = filter.includeOffline || filter.status === "offline";
      return recs
        .filter((r) => canSee(r, viewer))
        .filter((r) => wantOffline || r.status !== "offline")
        .filter((r) => !filter.status || r.status === filter.status)
        .filter((r) => !filter.agentType || r.agentType === filter.agentType)
        .filter((r) => !filter.capability || r.capabilities.includes(filter.capability))
        .filter((r) => !filter.boundary || r.boundaries.includes(filter.boundary))
        .filter((r) => !filter.hostname || r.hostname === filter.hostname)
        .sort((a, b) => Date.parse(b.lastHeartbeat) - Date.parse(a.lastHeartbeat))
        .slice(0, filter.limit ?? 1000)
        .map((r) => redact(r, viewer));
    },
    async updatePresence(guid, patch) {
      const before = await registry.get(guid, core.project);
      const rec = await mutate(core.project, guid, (r) => ({
        ...r,
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.currentTaskCount !== undefined ? { currentTaskCount: patch.currentTaskCount } : {}),
        lastHeartbeat: iso(),
      }));
      if (before?.status !== rec.status) await emit(rec, `agent.${rec.status}`);
      return rec;
    },
    heartbeat: (guid) =>
      mutate(core.project, guid, (r) => ({
        ...r,
        // A heartbeat revives an agent marked offline by a sweeper (it was only slow).
        status: r.status === "offline" ? "online" : r.status,
        lastHeartbeat: iso(),
      })),
    startPresence(guid) {
      const timer = setInterval(() => {
        registry.heartbeat(guid).catch((err: unknown) => core.log.warn({ err, guid }, "heartbeat failed"));
      }, heartbeatMs);
      timer.unref();
      let stopped = false;
      return {
        stop: async () => {
          if (stopped) return;
          stopped = true;
          clearInterval(timer);
          await registry
            .deregister(guid)
            .catch((err: unknown) => core.log.warn({ err, guid }, "offline mark failed"));
        },
      };
    },
    async deregister(guid, dopts = {}) {
      if (dopts.forget) {
        const bucket = await kv();
        const key = agentKey(core.project, guid);
        await bucket.delete(key);
        // Our own delete shows at once in the live copy, as our writes do.
        const marker = await bucket.get(key).catch(() => null);
        if (marker && marker.operation !== "PUT") cache?.apply(key, undefined, marker.revision);
        return;
      }
      const rec = await mutate(core.project, guid, (r) => ({ ...r, status: "offline", currentTaskCount: 0 }));
      await emit(rec, "agent.offline");
    },
    async markStaleOffline(now = core.clock.now()) {
      const marked: AgentRecord[] = [];
      for (const r of await all()) {
        if (r.status === "offline" || effectiveStatus(r, now) !== "offline") continue;
        try {
          const rec = await mutate(r.project, r.guid, (cur) =>
            effectiveStatus(cur, now) === "offline" ? { ...cur, status: "offline" } : cur,
          );
          if (rec.status === "offline") {
            marked.push(rec);
            await emit(rec, "agent.offline");
          }
        } catch (err) {
          core.log.warn({ err, guid: r.guid }, "could not mark stale agent offline");
        }
      }
      return marked;
    },
  };
  return registry;
}

async function register(
  core: WarpCore,
  bucket: KV,
  input: RegisterInput,
  heartbeatMs: number,
  all: (project?: string) => Promise<AgentRecord[]>,
  iso: () => string,
): Promise<{ rec: AgentRecord; revision: number }> {
  if (!input.handle || input.handle.length > 64) {
    throw new LoomError("INVALID_ARGUMENT", "A handle of 1-64 characters is required.", {
      hint: 'e.g. "reviewer-1".',
    });
  }
  const host = input.hostname ?? osHostname();
  const previous = (await all(core.project)).find((r) => r.handle === input.handle && r.hostname === host);
  const now = iso();
  const rec: AgentRecord = {
    guid: previous?.guid ?? randomUUID(),
    handle: input.handle,
    agentType: input.agentType,
    capabilities: input.capabilities ?? [],
    boundaries: input.boundaries ?? [],
    hostname: host,
    username: input.username ?? userInfo().username,
    project: core.project,
    visibility: input.visibility ?? "project-only",
    status: "online",
    currentTaskCount: 0,
    maxConcurrent: input.maxConcurrent ?? 1,
    registeredAt: previous?.registeredAt ?? now,
    lastHeartbeat: now,
    heartbeatMs,
  };
  for (const k of ["launchId", "target", "natsUrl", "metadata"] as const) {
    if (input[k] !== undefined) (rec as unknown as Record<string, unknown>)[k] = input[k];
  }
  try {
    // A plain put is right here: registration replaces whatever the previous session left.
    const revision = await bucket.put(agentKey(core.project, rec.guid), JSON.stringify(rec));
    return { rec, revision };
  } catch (err) {
    throw fromNatsError(err, `registering ${input.handle}`, core.where);
  }
}
