/**
 * The one work pipeline. The KV record is the truth and every transition is a compare-and-set through
 * the pure state machine; queue hints only say where to look; every transition is an event. Any
 * process may die at any moment: a record is never lost and never held by two claimers at once.
 */
import { createHash, randomUUID } from "node:crypto";
import type { KV } from "@nats-io/kv";
import type { WorkItem } from "../../../schemas/src/index.js";
import type { WarpCore } from "../core.js";
import { fromNatsError, isRevisionConflict, LoomError } from "../errors.js";
import { ensureKv, ensureStream } from "../jetstream.js";
import { readLatest } from "../kv-scan.js";
import {
  assertToken,
  EVENTS_STREAM,
  EVENTS_STREAM_SUBJECTS,
  WORK_BUCKET,
  workEventSubject,
  workKey,
} from "../names.js";
import type { Registry } from "../registry.js";
import { claimNext } from "./claim.js";
import { WorkQueue } from "./queue.js";
import { type Claimer, claimPairs } from "./route.js";
import { retryBackoff, transition, type WorkAction, type WorkStatus } from "./state-machine.js";

export type { WorkItem } from "../../../schemas/src/index.js";
export type { Claimer } from "./route.js";
export type { WorkAction, WorkStatus } from "./state-machine.js";

/** What a submitter provides. */
export interface SubmitInput {
  taskId?: string;
  description: string;
  capability: string;
  boundary?: string;
  priority?: number;
  deadline?: string;
  contextData?: Record<string, unknown>;
  requiredAgentType?: string;
  preferredAgentType?: string;
  idempotencyKey?: string;
  maxAttempts?: number;
  leaseMs?: number;
  submittedBy?: string;
}

/** Filters for {@link WorkPipeline.list}. */
export interface ListFilter {
  status?: WorkStatus;
  capability?: string;
  boundary?: string;
  /** Only items whose lease this agent holds. */
  holder?: string;
  limit?: number;
}

/** Pipeline options. */
export interface WorkPipelineOptions {
  registry?: Registry;
  /** Default lease (default 5 min). */
  leaseMs?: number;
  /** Default boundary when a submitter names none (default `default`). */
  defaultBoundary?: string;
  /** Default max attempts (default 3). */
  maxAttempts?: number;
  /** Retry backoff for attempt n (default 1 s, 2 s, 4 s ... capped at 60 s, jittered). */
  backoff?: (attempt: number) => number;
}

/** The pipeline for `core.project` (reads may span projects where noted). */
export interface WorkPipeline {
  submit(input: SubmitInput): Promise<{ item: WorkItem; duplicate: boolean }>;
  get(id: string): Promise<WorkItem | undefined>;
  list(filter?: ListFilter): Promise<WorkItem[]>;
  /** Claim the best eligible item, waiting up to `timeoutMs` (default 0). */
  claim(agent: Claimer, opts?: { capability?: string; timeoutMs?: number }): Promise<WorkItem | undefined>;
  progress(
    agent: string,
    id: string,
    p: { token?: number; percent?: number; message?: string },
  ): Promise<WorkItem>;
  complete(
    agent: string,
    id: string,
    result: NonNullable<WorkItem["result"]>,
    token?: number,
  ): Promise<WorkItem>;
  fail(
    agent: string,
    id: string,
    error: string,
    opts?: { retryable?: boolean; token?: number },
  ): Promise<WorkItem>;
  release(agent: string, id: string, token?: number): Promise<WorkItem>;
  cancel(id: string, reason?: string): Promise<WorkItem>;
  deadLetters(filter?: { capability?: string; boundary?: string }): Promise<WorkItem[]>;
  retryDeadLetter(id: string, opts?: { resetAttempts?: boolean }): Promise<WorkItem>;
  discardDeadLetter(id: string): Promise<WorkItem>;
  /** Hints queued per (boundary, capability, priority) for `project` (default this one). */
  queueDepth(
    project?: string,
  ): Promise<{ boundary: string; capability: string; priority: number; depth: number }[]>;
  /** Queued hints `agent` could claim (approximate: stale hints count until dropped). */
  claimableCount(agent: Claimer): Promise<number>;
  /** In-progress items and their holders. */
  inFlight(): Promise<WorkItem[]>;
  /**
   * Apply a transition by id (CAS, retried on conflict), publish its event and any hint. `from` is a
   * copy of the record believed current (from a hint): tried first, re-read if it is stale.
   */
  apply(
    id: string,
    build: (item: WorkItem) => WorkAction,
    project?: string,
    from?: { item: WorkItem; revision: number },
  ): Promise<WorkItem>;
  /** Every item of every project (janitor scans). */
  scanAll(): Promise<WorkItem[]>;
  readonly queue: WorkQueue;
}

const ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

/** Build the pipeline. */
export function createWorkPipeline(core: WarpCore, opts: WorkPipelineOptions = {}): WorkPipeline {
  const queue = new WorkQueue(core);
  const kv = () => ensureKv(core.nc, WORK_BUCKET, { history: 1 });
  let eventsReady: Promise<unknown> | undefined;
  const now = () => core.clock.now();
  const backoff = opts.backoff ?? ((n: number) => retryBackoff(n));

  /**
   * Publish the transition's event. The record is already written, so the event never fails the
   * operation: it is published without waiting for the stream's acknowledgement (in order, on this
   * connection), and a failure is logged. Readers that must not miss a state read the record.
   */
  const emit = async (prev: WorkItem | undefined, next: WorkItem, action: string) => {
    eventsReady ??= ensureStream(core.jsm, {
      name: EVENTS_STREAM,
      subjects: EVENTS_STREAM_SUBJECTS,
      max_age: 7 * 86_400e9,
    }).catch((err: unknown) => {
      eventsReady = undefined;
      throw err;
    });
    try {
      await eventsReady;
    } catch (err) {
      core.log.warn({ err, id: next.id }, "work event not published: the events stream is unavailable");
      return;
    }
    const ev = {
      type: "work.transition",
      id: next.id,
      project: next.project,
      action,
      from: prev?.status ?? null,
      to: next.status,
      attempt: next.attempts,
      ...(next.lease ? { agent: next.lease.agent, token: next.lease.token } : {}),
      at: new Date(now()).toISOString(),
    };
    try {
      core.nc.publish(workEventSubject(next.project, next.id), JSON.stringify(ev));
    } catch (err) {
      core.log.warn({ err, id: next.id }, "work event not published");
    }
  };

  const afterWrite = async (prev: WorkItem | undefined, next: WorkItem, action: string, revision: number) => {
    const hint =
      next.status === "pending" || next.status === "failed" ? queue.hint(next, revision) : undefined;
    await Promise.all([emit(prev, next, action), hint]);
  };

  const read = async (bucket: KV, project: string, id: string) => {
    if (!ID_RE.test(id))
      throw new LoomError("INVALID_ARGUMENT", `"${id}" is not a work item id.`, {
        hint: "Use the id returned by broadcast_work_offer or list_work.",
      });
    const e = await bucket.get(workKey(project, id));
    if (e?.operation !== "PUT") {
      throw new LoomError("NOT_FOUND", `No work item ${id} in project ${project}.`, {
        hint: "list_work shows the items of this project.",
      });
    }
    return e;
  };

  // The last record and revision this process read or wrote, per key. A transition first tries the
  // cached revision (saving a read); if someone else wrote since, the CAS fails and we re-read.
  const known = new Map<string, { item: WorkItem; revision: number }>();
  const remember = (key: string, item: WorkItem, revision: number) => {
    if (known.size > 10_000) known.delete(known.keys().next().value as string);
    known.set(key, { item, revision });
  };

  const apply: WorkPipeline["apply"] = async (id, build, project = core.project, from) => {
    const bucket = await kv();
    const key = workKey(project, id);
    for (let attempt = 0; ; attempt++) {
      const guess = attempt === 0 ? (from ?? known.get(key)) : undefined;
      let cur = guess;
      if (!cur) {
        const entry = await read(bucket, project, id);
        cur = { item: entry.json<WorkItem>(), revision: entry.revision };
      }
      const prev = cur.item;
      const action = build(prev);
      let next: WorkItem;
      try {
        next = transition(prev, action);
      } catch (err) {
        // A refusal based on a cached copy may be stale: decide again on a fresh read.
        if (guess) {
          known.delete(key);
          continue;
        }
        throw err;
      }
      let revision: number;
      try {
        revision = await bucket.update(key, JSON.stringify(next), cur.revision);
        remember(key, next, revision);
      } catch (err) {
        known.delete(key);
        if (isRevisionConflict(err) && attempt < 50) continue;
        throw fromNatsError(err, `updating work item ${id}`, core.where);
      }
      await afterWrite(prev, next, action.type, revision);
      return next;
    }
  };

  const tokenOf = (agent: string, item: WorkItem, token?: number) =>
    token ?? (item.lease?.agent === agent ? item.lease.token : -1);

  const all = async (project = core.project) => {
    await kv(); // creates the bucket on a server that has none yet: an empty list, not an error
    return readLatest<WorkItem>(core, WORK_BUCKET, `${project}.*`);
  };

  const pipeline: WorkPipeline = {
    queue,
    apply,
    async submit(input) {
      const item = newItem(core, input, opts, now());
      const bucket = await kv();
      let revision: number;
      try {
        revision = await bucket.create(workKey(item.project, item.id), JSON.stringify(item));
        remember(workKey(item.project, item.id), item, revision);
      } catch (err) {
        if (!isRevisionConflict(err)) throw fromNatsError(err, "submitting work", core.where);
        const existing = (await read(bucket, item.project, item.id)).json<WorkItem>();
        return { item: existing, duplicate: true };
      }
      await afterWrite(undefined, item, "submit", revision);
      return { item, duplicate: false };
    },
    async get(id) {
      try {
        const e = await read(await kv(), core.project, id);
        const item = e.json<WorkItem>();
        remember(workKey(core.project, id), item, e.revision);
        return item;
      } catch (err) {
        if (err instanceof LoomError && err.code === "NOT_FOUND") return undefined;
        throw err;
      }
    },
    async list(f = {}) {
      return (await all())
        .filter(
          (i) => (!f.status || i.status === f.status) && (!f.capability || i.capability === f.capability),
        )
        .filter(
          (i) => (!f.boundary || i.boundary === f.boundary) && (!f.holder || i.lease?.agent === f.holder),
        )
        .sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id))
        .slice(0, f.limit ?? 1000);
    },
    claim: async (agent, o = {}) =>
      claimNext(core, pipeline, queue, agent, claimPairs(agent, o.capability), o.timeoutMs ?? 0),
    progress: (agent, id, p) =>
      apply(id, (i) => ({
        type: "progress",
        agent,
        token: tokenOf(agent, i, p.token),
        now: now(),
        ...(p.percent !== undefined ? { percent: p.percent } : {}),
        ...(p.message !== undefined ? { message: p.message } : {}),
      })),
    complete: (agent, id, result, token) =>
      apply(id, (i) => ({ type: "complete", agent, token: tokenOf(agent, i, token), result, now: now() })),
    fail: (agent, id, error, o = {}) =>
      apply(id, (i) => ({
        type: "fail",
        agent,
        token: tokenOf(agent, i, o.token),
        error,
        retryable: o.retryable ?? true,
        backoffMs: backoff(i.attempts),
        now: now(),
      })),
    release: (agent, id, token) =>
      apply(id, (i) => ({ type: "release", agent, token: tokenOf(agent, i, token), now: now() })),
    cancel: (id, reason) => apply(id, () => ({ type: "cancel", now: now(), ...(reason ? { reason } : {}) })),
    deadLetters: async (f = {}) => pipeline.list({ status: "dead-lettered", ...f }),
    retryDeadLetter: (id, o = {}) =>
      apply(id, () => ({ type: "dlq-retry", resetAttempts: o.resetAttempts ?? true, now: now() })),
    discardDeadLetter: (id) => apply(id, () => ({ type: "discard", now: now() })),
    async queueDepth(project = core.project) {
      const out: { boundary: string; capability: string; priority: number; depth: number }[] = [];
      for (const [subject, depth] of await queue.counts(project)) {
        const [, , , boundary, capability, prio] = subject.split(".");
        out.push({
          boundary: boundary as string,
          capability: capability as string,
          priority: Number(prio),
          depth,
        });
      }
      return out.sort((a, b) => b.priority - a.priority);
    },
    async claimableCount(agent) {
      const pairs = new Set(agent.boundaries.flatMap((b) => agent.capabilities.map((c) => `${b}.${c}`)));
      let n = 0;
      for (const d of await pipeline.queueDepth())
        if (pairs.has(`${d.boundary}.${d.capability}`)) n += d.depth;
      return n;
    },
    inFlight: async () => (await all()).filter((i) => i.status === "in-progress"),
    scanAll: async () => all("*"),
  };
  return pipeline;
}

function newItem(core: WarpCore, input: SubmitInput, opts: WorkPipelineOptions, now: number): WorkItem {
  const bad = (msg: string, hint: string) => new LoomError("INVALID_ARGUMENT", msg, { hint });
  if (!input.description || input.description.trim() === "")
    throw bad("A work item needs a description.", "Say what to do.");
  assertToken(input.capability, "capability");
  const boundary = assertToken(input.boundary ?? opts.defaultBoundary ?? "default", "boundary");
  const priority = input.priority ?? 5;
  if (!Number.isInteger(priority) || priority < 1 || priority > 10)
    throw bad(`Priority ${priority} is out of range.`, "Use an integer from 1 (low) to 10 (urgent).");
  const maxAttempts = input.maxAttempts ?? opts.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw bad(`maxAttempts ${maxAttempts} must be a positive integer.`, "The default is 3.");
  if (input.deadline !== undefined && Number.isNaN(Date.parse(input.deadline)))
    throw bad(`Deadline "${input.deadline}" is not a date.`, "Use ISO 8601, e.g. 2026-12-01T12:00:00Z.");
  const id = input.idempotencyKey
    ? `k${createHash("sha256").update(`${core.project}\n${input.idempotencyKey}`).digest("hex").slice(0, 31)}`
    : `w${now.toString(36)}${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const item: WorkItem = {
    id,
    project: core.project,
    taskId: input.taskId ?? id,
    description: input.description,
    capability: input.capability,
    boundary,
    priority,
    status: "pending",
    attempts: 0,
    maxAttempts,
    leaseMs: input.leaseMs ?? opts.leaseMs ?? 300_000,
    fence: 0,
    errors: [],
    submittedBy: input.submittedBy ?? "unknown",
    timestamps: { pending: new Date(now).toISOString() },
  };
  if (input.deadline) item.deadline = new Date(input.deadline).toISOString();
  for (const k of ["contextData", "requiredAgentType", "preferredAgentType", "idempotencyKey"] as const) {
    if (input[k] !== undefined) (item as unknown as Record<string, unknown>)[k] = input[k];
  }
  return item;
}
