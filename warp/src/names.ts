/**
 * The one module that owns every NATS name Loom uses: subjects, streams, consumers and buckets.
 * Nothing else in Loom spells a subject or a bucket name. `docs/protocol.md` documents each.
 *
 * Everything is namespaced by project: subjects start `loom.<project>.`, keys `<project>.`.
 * Names that go into subjects (projects, channels, boundaries, capabilities) are tokens: lower case
 * letters, digits and dashes, so that they can never carry `.`, `*` or `>` into a subject.
 */
import { LoomError } from "./errors.js";

/** A subject token: lower-case letters, digits and dashes, 1-64 characters. */
export const TOKEN_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Channel names (as documented for agents): `^[a-z0-9-]+$`. */
export const CHANNEL_NAME_RE = /^[a-z0-9-]+$/;

/** Turn any directory or repository name into a project token a person still recognises. */
export function sanitizeProject(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/g, "");
  return s.length > 0 ? s : "default";
}

/** Throw INVALID_ARGUMENT unless `value` is a valid token; `what` names it in the message. */
export function assertToken(value: string, what: string): string {
  if (!TOKEN_RE.test(value)) {
    throw new LoomError("INVALID_ARGUMENT", `Invalid ${what} "${value}".`, {
      hint: `A ${what} uses lower-case letters, digits and dashes (1-64 characters), e.g. "code-review".`,
    });
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Channels: one stream per (project, channel), so that each channel keeps its own limits.

/** Stream holding one channel's history. */
export function channelStream(project: string, channel: string): string {
  return `LOOM_CHAN_${project}_${channel}`;
}
/** Subject a channel's messages are published on. */
export function channelSubject(project: string, channel: string): string {
  return `loom.${project}.chan.${channel}`;
}
/** Wildcard over every channel of a project (for discovery of channel streams). */
export function channelStreamPrefix(project: string): string {
  return `LOOM_CHAN_${project}_`;
}

// ---------------------------------------------------------------------------------------------
// Registry and presence: one bucket for all projects, so public agents are discoverable across them.

/** KV bucket of agent records. */
export const AGENTS_BUCKET = "loom-agents";
/** Key of one agent record. */
export function agentKey(project: string, guid: string): string {
  return `${project}.${guid}`;
}

// ---------------------------------------------------------------------------------------------
// Direct messages: one stream; each agent's inbox is a subject of it.

/** Stream holding every inbox. */
export const DM_STREAM = "LOOM_DM";
/** Subjects of {@link DM_STREAM}. */
export const DM_STREAM_SUBJECTS = ["loom.*.dm.*"];
/** An agent's inbox subject (the recipient's project and guid). */
export function dmSubject(project: string, guid: string): string {
  return `loom.${project}.dm.${guid}`;
}
/** KV bucket of read receipts, keyed by message id. */
export const DM_RECEIPTS_BUCKET = "loom-dm-receipts";

// ---------------------------------------------------------------------------------------------
// Work pipeline. The KV record is the truth; queue entries are hints that point at it.

/** KV bucket of work items. */
export const WORK_BUCKET = "loom-work";
/** Key of one work item. */
export function workKey(project: string, id: string): string {
  return `${project}.${id}`;
}
/** Work-queue stream (WorkQueue retention): entries are removed once a claimer acks them. */
export const WORK_QUEUE_STREAM = "LOOM_WORKQ";
/** Subjects of {@link WORK_QUEUE_STREAM}. */
export const WORK_QUEUE_SUBJECTS = ["loom.*.workq.>"];
/** Queue subject: project, boundary, capability and priority (two digits, `01`-`10`) are tokens. */
export function workQueueSubject(
  project: string,
  boundary: string,
  capability: string,
  priority: number,
): string {
  return `loom.${project}.workq.${boundary}.${capability}.${String(priority).padStart(2, "0")}`;
}
/** Wildcard over every queue subject of a project. */
export function workQueueFilter(project: string, boundary = "*", capability = "*"): string {
  return `loom.${project}.workq.${boundary}.${capability}.*`;
}
/** Durable consumer name for one queue subject. */
export function workQueueConsumer(
  project: string,
  boundary: string,
  capability: string,
  priority: number,
): string {
  return `wq_${project}_${boundary}_${capability}_${String(priority).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// Events: every work transition and presence change, for `shuttle watch`, the REST API and audit.

/** Stream of events. */
export const EVENTS_STREAM = "LOOM_EVENTS";
/** Subjects of {@link EVENTS_STREAM}. */
export const EVENTS_STREAM_SUBJECTS = ["loom.*.events.>"];
/** Subject of one work item's events. */
export function workEventSubject(project: string, id: string): string {
  return `loom.${project}.events.work.${id}`;
}
/** Subject of one agent's presence events. */
export function agentEventSubject(project: string, guid: string): string {
  return `loom.${project}.events.agent.${guid}`;
}
/** Wildcard over a project's events (`*` for every project). */
export function eventsFilter(project = "*"): string {
  return `loom.${project}.events.>`;
}

// ---------------------------------------------------------------------------------------------
// Daemon: declared spec, observed status, runtime overrides, leader lease. Fleet-wide, not per project.

/** KV bucket of the declared spec (targets, boundaries, channels, policies), written by loomd only. */
export const SPEC_BUCKET = "loom-spec";
/** KV bucket of observed status (reconcile status, per-target status). */
export const STATUS_BUCKET = "loom-status";
/** KV bucket of runtime overrides (disable a target, pause spin-up), kept apart from the spec. */
export const OVERRIDES_BUCKET = "loom-overrides";
/** KV bucket holding the leader lease (bucket TTL = lease time). */
export const LEADER_BUCKET = "loom-leader";
/** Key of the leader lease in {@link LEADER_BUCKET}. */
export const LEADER_KEY = "leader";

/** The stream behind a KV bucket. */
export function kvStream(bucket: string): string {
  return `KV_${bucket}`;
}
/** The subject a KV key is stored on (`keyFilter` may use KV wildcards). */
export function kvSubject(bucket: string, keyFilter: string): string {
  return `$KV.${bucket}.${keyFilter}`;
}
