/**
 * The janitor: the pipeline's automation, run by the leading loomd (or any process; every write is a
 * compare-and-set, so several janitors are safe). Each sweep:
 * - marks stale agents offline and puts their leases back in the queue at once;
 * - puts expired leases back in the queue (the attempt counts; spent items are dead-lettered);
 * - expires items whose deadline passed;
 * - re-hints queues that have fewer hints than claimable items (a crash between write and hint);
 * - removes finished items (completed, cancelled, expired, discarded) older than the retention, so the
 *   bucket, and every scan of it, stays bounded. Finished states are final, so nothing races the removal.
 */
import type { WorkItem } from "../../../schemas/src/index.js";
import type { WarpCore } from "../core.js";
import { isLoomError } from "../errors.js";
import { kvStream, kvSubject, WORK_BUCKET, workKey, workQueueSubject } from "../names.js";
import type { Registry } from "../registry.js";
import type { WorkPipeline } from "./pipeline.js";
import { TERMINAL, type WorkAction } from "./state-machine.js";

/** Finished items are kept this long by default (7 days). */
export const DEFAULT_WORK_RETENTION_MS = 7 * 86_400_000;

/** What one sweep did. */
export interface SweepReport {
  offlineAgents: string[];
  released: string[];
  leaseExpired: string[];
  expired: string[];
  rehinted: number;
  /** Finished items removed after the retention. */
  removed: string[];
}

/** Options for {@link startJanitor}. */
export interface JanitorOptions {
  core: WarpCore;
  pipeline: WorkPipeline;
  registry?: Registry;
  /** Sweep interval (default 2 s). */
  intervalMs?: number;
  /** How long finished items are kept, read at each sweep (default 7 days). */
  retentionMs?: () => Promise<number | undefined>;
}

/** One sweep over every project's items. */
export async function sweep(o: JanitorOptions): Promise<SweepReport> {
  const { core, pipeline } = o;
  const now = core.clock.now();
  const report: SweepReport = {
    offlineAgents: [],
    released: [],
    leaseExpired: [],
    expired: [],
    rehinted: 0,
    removed: [],
  };
  const retainMs = (await o.retentionMs?.().catch(() => undefined)) ?? DEFAULT_WORK_RETENTION_MS;
  const offline = new Set((o.registry ? await o.registry.markStaleOffline(now) : []).map((a) => a.guid));
  report.offlineAgents = [...offline];
  const items = await pipeline.scanAll();
  if (o.registry) {
    // Holders already offline before this sweep (deregistered, or marked by another janitor).
    const holders = new Map(
      items.filter((i) => i.status === "in-progress" && i.lease).map((i) => [i.lease!.agent, i.project]),
    );
    for (const [guid, project] of holders) {
      if (offline.has(guid)) continue;
      const rec = await o.registry.get(guid, project);
      if (rec && rec.status === "offline") offline.add(guid);
    }
  }
  const act = async (item: WorkItem, action: WorkAction, into: string[]) => {
    try {
      await pipeline.apply(item.id, () => action, item.project);
      into.push(item.id);
    } catch (err) {
      // Lost a race with the holder or another janitor: the record moved on, which is fine.
      if (!isLoomError(err, "ILLEGAL_TRANSITION") && !isLoomError(err, "NOT_FOUND")) throw err;
    }
  };
  const claimable = new Map<string, WorkItem[]>();
  for (const item of items) {
    const live = item.status === "pending" || item.status === "in-progress" || item.status === "failed";
    if (live && item.deadline && Date.parse(item.deadline) <= now)
      await act(item, { type: "expire", now }, report.expired);
    else if (item.status === "in-progress" && item.lease && offline.has(item.lease.agent))
      await act(item, { type: "holder-offline", now }, report.released);
    else if (item.status === "in-progress" && item.lease && Date.parse(item.lease.expiresAt) <= now)
      await act(item, { type: "lease-expired", now }, report.leaseExpired);
    else if (item.status === "pending" || item.status === "failed") {
      const subject = workQueueSubject(item.project, item.boundary, item.capability, item.priority);
      claimable.set(subject, [...(claimable.get(subject) ?? []), item]);
    } else if (TERMINAL.has(item.status)) {
      const finished = Date.parse(item.timestamps[item.status] ?? "");
      if (Number.isFinite(finished) && now - finished > retainMs) {
        // A purge by subject leaves no marker behind, unlike a KV delete.
        await core.jsm.streams.purge(kvStream(WORK_BUCKET), {
          filter: kvSubject(WORK_BUCKET, workKey(item.project, item.id)),
        });
        report.removed.push(item.id);
      }
    }
  }
  report.rehinted = await rehint(o, claimable);
  return report;
}

async function rehint(o: JanitorOptions, claimable: Map<string, WorkItem[]>): Promise<number> {
  let n = 0;
  const byProject = new Map<string, Map<string, number>>();
  for (const [subject, items] of claimable) {
    const project = (items[0] as WorkItem).project;
    if (!byProject.has(project)) byProject.set(project, await o.pipeline.queue.counts(project));
    const hints = byProject.get(project)?.get(subject) ?? 0;
    if (hints >= items.length) continue;
    // Some hints are missing; we cannot tell which, and duplicates are harmless, so hint them all.
    for (const item of items) await o.pipeline.queue.hint(item);
    n += items.length;
  }
  return n;
}

/** Sweep every `intervalMs` until stopped. Errors are logged, never thrown. */
export function startJanitor(o: JanitorOptions): { stop(): Promise<void>; sweepNow(): Promise<SweepReport> } {
  const interval = o.intervalMs ?? 2_000;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const run = () => {
    // A slow sweep (NATS restarting, a large bucket) is never overlapped by the next tick: piling up
    // scans on a struggling server would only make it slower.
    if (busy) return running;
    busy = true;
    running = sweep(o)
      .then((r) => {
        if (r.released.length + r.leaseExpired.length + r.expired.length + r.rehinted + r.removed.length > 0)
          o.core.log.info({ ...r, removed: r.removed.length }, "janitor sweep");
      })
      .catch((err: unknown) => o.core.log.warn({ err }, "janitor sweep failed"))
      .finally(() => {
        busy = false;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void run();
  }, interval);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    sweepNow: () => sweep(o),
  };
}
