/**
 * Queue hints: small messages on `loom.<project>.workq.<boundary>.<capability>.<priority>` that point
 * at work records. The record decides; a hint may be stale (dropped) or duplicated (harmless). One
 * durable pull consumer per subject hands each hint to one claimer at a time.
 */
import { AckPolicy } from "@nats-io/jetstream";
import type { Msg } from "@nats-io/nats-core";
import type { WorkItem } from "../../../schemas/src/index.js";
import type { WarpCore } from "../core.js";
import { fromNatsError, isNotFound } from "../errors.js";
import { ensureStream } from "../jetstream.js";
import {
  WORK_QUEUE_STREAM,
  WORK_QUEUE_SUBJECTS,
  workQueueConsumer,
  workQueueFilter,
  workQueueSubject,
} from "../names.js";

/** What a hint carries: the item's id and, when small, the record and its revision at publish time. */
export interface Hint {
  id: string;
  /** With `revision`: lets a claimer compare-and-set without reading the record first. */
  item?: WorkItem;
  revision?: number;
}

/** Records larger than this travel by id only (the claimer reads them). */
const HINT_RECORD_MAX = 16 * 1024;

/** A queue subject, parsed. */
export interface QueueKey {
  project: string;
  boundary: string;
  capability: string;
  priority: number;
}

/** Parse `loom.<project>.workq.<boundary>.<capability>.<priority>`. */
export function parseQueueSubject(subject: string): QueueKey | undefined {
  const t = subject.split(".");
  if (t.length !== 6 || t[0] !== "loom" || t[2] !== "workq") return undefined;
  return {
    project: t[1] as string,
    boundary: t[3] as string,
    capability: t[4] as string,
    priority: Number(t[5]),
  };
}

/** Queue plumbing for one core (caches the stream and consumers it has ensured). */
export class WorkQueue {
  private ready: Promise<unknown> | undefined;
  private readonly consumers = new Map<string, Promise<void>>();

  constructor(private readonly core: WarpCore) {}

  ensure(): Promise<unknown> {
    this.ready ??= ensureStream(this.core.jsm, {
      name: WORK_QUEUE_STREAM,
      subjects: WORK_QUEUE_SUBJECTS,
      retention: "workqueue",
    } as Parameters<typeof ensureStream>[1]).catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /**
   * Publish a hint for `item` (on its project, boundary, capability and priority). With the record's
   * `revision`, the hint carries the record so a claimer can try its compare-and-set at once; a stale
   * copy only costs the claimer a failed CAS and a read.
   */
  async hint(item: WorkItem, revision?: number): Promise<void> {
    await this.ensure();
    const subject = workQueueSubject(item.project, item.boundary, item.capability, item.priority);
    let payload = revision === undefined ? "" : JSON.stringify({ id: item.id, revision, item });
    if (payload === "" || payload.length > HINT_RECORD_MAX) payload = JSON.stringify({ id: item.id });
    await this.core.js.publish(subject, payload);
  }

  /** Read a hint (a bare id is accepted too). */
  static parseHint(msg: Msg): Hint {
    const text = msg.string();
    if (!text.startsWith("{")) return { id: text };
    try {
      const h = JSON.parse(text) as Hint;
      if (typeof h.id !== "string") return { id: text };
      return h.item && typeof h.revision === "number" && h.item.id === h.id
        ? { id: h.id, item: h.item, revision: h.revision }
        : { id: h.id };
    } catch {
      return { id: text };
    }
  }

  /** Hint counts per queue subject of `project` (stale hints included). */
  async counts(project: string): Promise<Map<string, number>> {
    await this.ensure();
    const info = await this.core.jsm.streams.info(WORK_QUEUE_STREAM, {
      subjects_filter: workQueueFilter(project),
    });
    return new Map(Object.entries(info.state.subjects ?? {}));
  }

  private snapshot: { project: string; at: number; counts: Map<string, number> } | undefined;

  /**
   * Counts for choosing where to pull, reused for up to `maxAgeMs` while pulls keep succeeding, so a
   * busy claimer does not ask the server for a subject listing on every claim. A priority that
   * appears meanwhile is seen at the next refresh (at most `maxAgeMs` later).
   */
  async recentCounts(project: string, maxAgeMs = 100): Promise<Map<string, number>> {
    const s = this.snapshot;
    if (s && s.project === project && Date.now() - s.at < maxAgeMs) return s.counts;
    const counts = await this.counts(project);
    this.snapshot = { project, at: Date.now(), counts };
    return counts;
  }

  /** Forget the snapshot (a pass found nothing: look again next time). */
  invalidateCounts(): void {
    this.snapshot = undefined;
  }

  private ensureConsumer(key: QueueKey): Promise<void> {
    const name = workQueueConsumer(key.project, key.boundary, key.capability, key.priority);
    let p = this.consumers.get(name);
    if (!p) {
      p = this.core.jsm.consumers
        .add(WORK_QUEUE_STREAM, {
          durable_name: name,
          filter_subject: workQueueSubject(key.project, key.boundary, key.capability, key.priority),
          ack_policy: AckPolicy.Explicit,
          // Only the claim handshake (read record, CAS, ack) happens under this; the work lease is in the record.
          ack_wait: 30_000_000_000,
          max_ack_pending: -1,
        })
        .then(() => undefined)
        .catch((err: unknown) => {
          this.consumers.delete(name);
          throw fromNatsError(err, `creating queue consumer ${name}`, this.core.where);
        });
      this.consumers.set(name, p);
    }
    return p;
  }

  /** Take the next hint from `key`'s queue without waiting; undefined when none is available now. */
  async pull(key: QueueKey): Promise<Msg | undefined> {
    await this.ensureConsumer(key);
    const name = workQueueConsumer(key.project, key.boundary, key.capability, key.priority);
    try {
      const msg = await this.core.nc.request(
        `$JS.API.CONSUMER.MSG.NEXT.${WORK_QUEUE_STREAM}.${name}`,
        JSON.stringify({ batch: 1, no_wait: true }),
        { timeout: 5_000, noMux: true },
      );
      const code = msg.headers?.code ?? 0;
      if (code === 404 || code === 408 || code === 409) return undefined;
      return msg;
    } catch (err) {
      if (isNotFound(err)) {
        this.consumers.delete(name);
        return undefined;
      }
      throw fromNatsError(err, "pulling from the work queue", this.core.where);
    }
  }

  /** How many times this hint has been delivered (from its ack subject). */
  static deliveries(msg: Msg): number {
    const t = (msg.reply ?? "").split(".");
    // $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>
    return Number(t.length === 9 ? t[4] : t[6]) || 1;
  }

  /** Acknowledge (remove) a hint. */
  ack(msg: Msg): void {
    if (msg.reply) this.core.nc.publish(msg.reply, "+ACK");
  }

  /** Redeliver a hint after `delayMs`. */
  nak(msg: Msg, delayMs: number): void {
    if (msg.reply)
      this.core.nc.publish(msg.reply, `-NAK ${JSON.stringify({ delay: Math.max(0, delayMs) * 1_000_000 })}`);
  }
}
