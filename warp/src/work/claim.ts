/**
 * Claiming: find the highest-priority queue with hints among the agent's (boundary, capability) pairs,
 * take a hint, and compare-and-set the record it points at. The CAS decides who wins, so competing
 * claimers never hold one item at once. Stale hints are dropped; orphans (no record) are dropped after
 * a few deliveries. With a timeout, wait for a hint to arrive on the agent's queue subjects.
 */
import type { Msg, Subscription } from "@nats-io/nats-core";
import type { WorkItem } from "../../../schemas/src/index.js";
import type { WarpCore } from "../core.js";
import { isLoomError } from "../errors.js";
import { workQueueFilter } from "../names.js";
import type { WorkPipeline } from "./pipeline.js";
import { parseQueueSubject, type QueueKey, WorkQueue } from "./queue.js";
import { type Claimer, eligible } from "./route.js";
import { isClaimable } from "./state-machine.js";

type Outcome = { item: WorkItem } | "next-hint" | "next-queue";

/** Claim the best eligible item for `agent`, waiting up to `timeoutMs` for one to be queued. */
export async function claimNext(
  core: WarpCore,
  pipeline: WorkPipeline,
  queue: WorkQueue,
  agent: Claimer,
  pairs: { boundary: string; capability: string }[],
  timeoutMs: number,
): Promise<WorkItem | undefined> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let subs: Subscription[] | undefined;
  let wake: (() => void) | undefined;
  // A hint that arrived while we were busy trying (not waiting): look again instead of sleeping.
  let kicked = false;
  let quickRetries = 0;
  try {
    for (;;) {
      const { item, candidates } = await tryOnce(core, pipeline, queue, agent, pairs);
      if (item) return item;
      // Hints were there but none could be pulled: a hint stored a moment ago may not be pullable yet,
      // or others hold them in their claim handshake. Look again shortly rather than giving up.
      if (candidates > 0 && quickRetries++ < 3) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      // One waiter per queue group is woken per hint, not every idle claimer: the others would only
      // race for it and pull nothing. The one woken takes it, or the hint waits for the next poll.
      subs ??= pairs.map((p) =>
        core.nc.subscribe(workQueueFilter(core.project, p.boundary, p.capability), {
          queue: `loom-wake.${core.project}.${p.boundary}.${p.capability}`,
          callback: () => {
            if (wake) wake();
            else kicked = true;
          },
        }),
      );
      if (kicked) {
        kicked = false;
        continue;
      }
      // Poll at least every second too: delayed redeliveries (retry backoff) publish nothing new.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(remaining, 1_000));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    for (const s of subs ?? []) s.unsubscribe();
  }
}

async function tryOnce(
  core: WarpCore,
  pipeline: WorkPipeline,
  queue: WorkQueue,
  agent: Claimer,
  pairs: { boundary: string; capability: string }[],
): Promise<{ item?: WorkItem; candidates: number }> {
  const wanted = new Set(pairs.map((p) => `${p.boundary}.${p.capability}`));
  const candidates: QueueKey[] = [];
  for (const [subject, n] of await queue.recentCounts(core.project)) {
    const key = parseQueueSubject(subject);
    if (key && n > 0 && wanted.has(`${key.boundary}.${key.capability}`)) candidates.push(key);
  }
  candidates.sort((a, b) => b.priority - a.priority);
  for (const key of candidates) {
    for (let i = 0; i < 16; i++) {
      const msg = await queue.pull(key);
      if (!msg) break;
      const outcome = await onHint(core, pipeline, queue, agent, msg);
      if (outcome === "next-queue") break;
      if (outcome !== "next-hint") return { item: outcome.item, candidates: candidates.length };
    }
  }
  queue.invalidateCounts();
  return { candidates: candidates.length };
}

async function onHint(
  core: WarpCore,
  pipeline: WorkPipeline,
  queue: WorkQueue,
  agent: Claimer,
  msg: Msg,
): Promise<Outcome> {
  const hint = WorkQueue.parseHint(msg);
  const id = hint.id;
  // The hint's copy of the record saves a read; if it is stale, the claim's CAS fails and re-reads.
  const from =
    hint.item && hint.revision !== undefined ? { item: hint.item, revision: hint.revision } : undefined;
  const item = from?.item ?? (await pipeline.get(id).catch(() => undefined));
  const now = core.clock.now();
  if (!item) {
    // The record may still be being written (a submitter between create and hint cannot cause this,
    // but a hint published ahead of a slow CAS can); drop it after a few tries.
    if (WorkQueue.deliveries(msg) >= 5) queue.ack(msg);
    else queue.nak(msg, 500);
    return "next-hint";
  }
  if (item.deadline && Date.parse(item.deadline) <= now && ["pending", "failed"].includes(item.status)) {
    await pipeline.apply(id, () => ({ type: "expire", now })).catch(() => undefined);
    queue.ack(msg);
    return "next-hint";
  }
  if (item.status === "failed" && item.retryAt && Date.parse(item.retryAt) > now) {
    queue.nak(msg, Date.parse(item.retryAt) - now);
    return "next-hint";
  }
  if (!isClaimable(item, now)) {
    queue.ack(msg);
    return "next-hint";
  }
  if (!eligible(item, agent)) {
    // Someone else may take it (e.g. a required agent type); leave it queued for them.
    queue.nak(msg, 250);
    return "next-queue";
  }
  try {
    const claimed = await pipeline.apply(
      id,
      () => ({
        type: "claim",
        agent: agent.guid,
        ...(agent.handle ? { agentHandle: agent.handle } : {}),
        now: core.clock.now(),
      }),
      undefined,
      from,
    );
    queue.ack(msg);
    return { item: claimed };
  } catch (err) {
    if (!isLoomError(err, "ILLEGAL_TRANSITION")) throw err;
    queue.ack(msg);
    return "next-hint";
  }
}
