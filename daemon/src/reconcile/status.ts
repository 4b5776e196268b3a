/**
 * The reconcile status: a record of its own (bucket loom-status, key `reconcile`), never written into
 * the spec. Conditions Ready / Reconciling / Stalled carry stable CamelCase reasons for programs and
 * messages for people.
 */
import { ensureKv, STATUS_BUCKET, type WarpCore } from "../../../warp/src/index.js";
import type { ConfigError } from "../config/index.js";

/** Stable reasons. */
export type Reason =
  | "ReconcileSucceeded"
  | "Progressing"
  | "ConfigInvalid"
  | "SourceUnavailable"
  | "NatsUnavailable"
  | "ApplyFailed";

/** One condition. */
export interface Condition {
  type: "Ready" | "Reconciling" | "Stalled";
  status: boolean;
  reason: Reason;
  message: string;
  lastTransitionTime: string;
}

/** Where a revision came from. */
export interface Revision {
  /** sha256 of the config text. */
  hash: string;
  /** The local file, or with `source.git` the path in the repository. */
  file: string;
  gitCommit?: string;
  /** The file has uncommitted changes (a local file in a git work tree). */
  dirty?: boolean;
  /** With `source.git`: the repository and branch followed. */
  repo?: string;
  branch?: string;
}

/** ` (commit 1a2b3c4d5e6f of main)` for a revision from `source.git`, else nothing. */
export function sourceSuffix(r: Revision): string {
  return r.repo ? ` (commit ${r.gitCommit?.slice(0, 12)} of ${r.branch})` : "";
}

/** The status record. */
export interface ReconcileStatus {
  conditions: Condition[];
  observedRevision?: Revision;
  lastAppliedRevision?: Revision;
  lastError?: ConfigError;
  /** key → hash of the value loomd wrote (the keys it owns). */
  inventory: Record<string, string>;
  /** Keys restored after an outside change, in the last reconcile. */
  drift: string[];
  overrides: Record<string, unknown>;
  leader?: { id: string; since: string };
  updatedAt: string;
}

/** Key of the status record. */
export const STATUS_KEY = "reconcile";

/** Build the conditions for an outcome. */
export function conditionsFor(
  ready: boolean,
  reason: Reason,
  message: string,
  now: string,
  prev: Condition[] = [],
): Condition[] {
  const mk = (type: Condition["type"], status: boolean): Condition => {
    const old = prev.find((c) => c.type === type);
    const same = old && old.status === status && old.reason === reason;
    return { type, status, reason, message, lastTransitionTime: same ? old.lastTransitionTime : now };
  };
  return [
    mk("Ready", ready),
    mk("Reconciling", reason === "Progressing"),
    mk("Stalled", reason === "ConfigInvalid" || reason === "SourceUnavailable"),
  ];
}

/** Read the status (undefined before the first reconcile). */
export async function readStatus(core: WarpCore): Promise<ReconcileStatus | undefined> {
  const e = await (await ensureKv(core.nc, STATUS_BUCKET, { history: 1 })).get(STATUS_KEY);
  return e && e.operation === "PUT" ? e.json<ReconcileStatus>() : undefined;
}

/** Write the status. Only the leader writes it. */
export async function writeStatus(core: WarpCore, status: ReconcileStatus): Promise<void> {
  await (await ensureKv(core.nc, STATUS_BUCKET, { history: 1 })).put(STATUS_KEY, JSON.stringify(status));
}
