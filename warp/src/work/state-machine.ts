/**
 * The work state machine: a pure function from (item, action) to the next item, or a LoomError.
 *
 *   pending ──claim──▶ in-progress ──complete──▶ completed
 *      ▲                  │  ├─fail (retryable, attempts left)──▶ failed ──requeue (retry due)──▶ pending
 *      │                  │  ├─fail (not retryable / attempts spent)──▶ dead-lettered ──dlq-retry──▶ pending
 *      └──release─────────┘  └─lease-expired / holder-offline──▶ pending (or dead-lettered when spent)
 *   cancel: pending | in-progress | failed ──▶ cancelled        dead-lettered ──discard──▶ discarded
 *   expire (deadline): pending | in-progress | failed ──▶ expired
 */
import type { WorkItem } from "../../../schemas/src/index.js";
import { LoomError } from "../errors.js";

export type WorkStatus = WorkItem["status"];

/** Everything that can happen to an item. `now` is epoch ms. */
export type WorkAction =
  | { type: "claim"; agent: string; agentHandle?: string; now: number }
  | { type: "progress"; agent: string; token: number; percent?: number; message?: string; now: number }
  | { type: "complete"; agent: string; token: number; result: NonNullable<WorkItem["result"]>; now: number }
  | {
      type: "fail";
      agent: string;
      token: number;
      error: string;
      retryable: boolean;
      backoffMs: number;
      now: number;
    }
  | { type: "release"; agent: string; token: number; now: number }
  | { type: "lease-expired"; now: number }
  | { type: "holder-offline"; now: number }
  | { type: "requeue"; now: number }
  | { type: "cancel"; reason?: string; now: number }
  | { type: "expire"; now: number }
  | { type: "dlq-retry"; resetAttempts: boolean; now: number }
  | { type: "discard"; now: number };

/** Statuses from which nothing but the listed DLQ actions can move an item. */
/** Every status, in lifecycle order (tools and tests enumerate this one list). */
export const WORK_STATUSES = [
  "pending",
  "in-progress",
  "completed",
  "failed",
  "dead-lettered",
  "cancelled",
  "expired",
  "discarded",
] as const satisfies readonly WorkStatus[];
// Fails to compile if the schema gains a status this list lacks.
const _allStatuses: Exclude<WorkStatus, (typeof WORK_STATUSES)[number]> extends never ? true : never = true;
void _allStatuses;

export const TERMINAL: ReadonlySet<WorkStatus> = new Set(["completed", "cancelled", "expired", "discarded"]);

const FROM: Record<WorkAction["type"], readonly WorkStatus[]> = {
  claim: ["pending", "failed"],
  progress: ["in-progress"],
  complete: ["in-progress"],
  fail: ["in-progress"],
  release: ["in-progress"],
  "lease-expired": ["in-progress"],
  "holder-offline": ["in-progress"],
  requeue: ["failed"],
  cancel: ["pending", "in-progress", "failed"],
  expire: ["pending", "in-progress", "failed"],
  "dlq-retry": ["dead-lettered"],
  discard: ["dead-lettered"],
};

const iso = (ms: number) => new Date(ms).toISOString();

function illegal(item: WorkItem, action: WorkAction): LoomError {
  if (item.status === "cancelled" && ["progress", "complete", "fail", "release"].includes(action.type)) {
    return new LoomError(
      "CANCELLED",
      `Work item ${item.id} was cancelled${item.cancelReason ? `: ${item.cancelReason}` : ""}.`,
      {
        hint: "Stop working on it; there is nothing to report.",
      },
    );
  }
  return new LoomError(
    "ILLEGAL_TRANSITION",
    `Cannot ${action.type} work item ${item.id}: it is ${item.status}.`,
    {
      hint: `${action.type} applies to items that are ${FROM[action.type].join(" or ")}.`,
      details: { id: item.id, status: item.status, action: action.type },
    },
  );
}

function checkHolder(item: WorkItem, agent: string, token: number): void {
  if (!item.lease || item.lease.agent !== agent || item.lease.token !== token) {
    throw new LoomError("LEASE_STALE", `Your lease on work item ${item.id} is no longer valid.`, {
      hint: "It expired or was given to another agent; drop this item and claim new work.",
      details: { id: item.id, holder: item.lease?.agent, token: item.lease?.token },
    });
  }
}

function enter(item: WorkItem, status: WorkStatus, now: number, patch: Partial<WorkItem> = {}): WorkItem {
  const { lease: _lease, retryAt: _retryAt, ...rest } = item;
  const next: WorkItem = {
    ...rest,
    ...patch,
    status,
    timestamps: { ...item.timestamps, [status]: iso(now) },
  };
  if (status === "in-progress" && patch.lease) next.lease = patch.lease;
  if (status === "failed" && patch.retryAt) next.retryAt = patch.retryAt;
  return next;
}

/** Back to the queue after losing the holder; the attempt counts, so a spent item is dead-lettered. */
function lostHolder(item: WorkItem, why: string, now: number): WorkItem {
  const errors = [
    ...item.errors,
    {
      at: iso(now),
      message: why,
      attempt: item.attempts,
      ...(item.lease ? { agent: item.lease.agent } : {}),
    },
  ];
  return enter(item, item.attempts >= item.maxAttempts ? "dead-lettered" : "pending", now, { errors });
}

/** Apply `action` to `item`. Throws ILLEGAL_TRANSITION, LEASE_STALE or CANCELLED; never mutates `item`. */
export function transition(item: WorkItem, action: WorkAction): WorkItem {
  if (!FROM[action.type].includes(item.status)) throw illegal(item, action);
  const now = action.now;
  switch (action.type) {
    case "claim": {
      if (item.status === "failed" && item.retryAt && Date.parse(item.retryAt) > now) {
        throw new LoomError(
          "ILLEGAL_TRANSITION",
          `Work item ${item.id} is waiting to retry until ${item.retryAt}.`,
        );
      }
      const fence = item.fence + 1;
      const lease = {
        agent: action.agent,
        expiresAt: iso(now + item.leaseMs),
        token: fence,
        ...(action.agentHandle ? { agentHandle: action.agentHandle } : {}),
      };
      return enter(item, "in-progress", now, { attempts: item.attempts + 1, fence, lease });
    }
    case "progress": {
      checkHolder(item, action.agent, action.token);
      const progress = {
        ...item.progress,
        ...(action.percent !== undefined ? { percent: action.percent } : {}),
        ...(action.message !== undefined ? { message: action.message } : {}),
      };
      return { ...item, progress, lease: { ...item.lease!, expiresAt: iso(now + item.leaseMs) } };
    }
    case "complete":
      checkHolder(item, action.agent, action.token);
      return enter(item, "completed", now, { result: action.result });
    case "fail": {
      checkHolder(item, action.agent, action.token);
      const errors = [
        ...item.errors,
        {
          at: iso(now),
          message: action.error,
          attempt: item.attempts,
          agent: action.agent,
          retryable: action.retryable,
        },
      ];
      if (!action.retryable || item.attempts >= item.maxAttempts)
        return enter(item, "dead-lettered", now, { errors });
      return enter(item, "failed", now, { errors, retryAt: iso(now + action.backoffMs) });
    }
    case "release":
      checkHolder(item, action.agent, action.token);
      // Given back unharmed: the attempt does not count.
      return enter(item, "pending", now, { attempts: Math.max(0, item.attempts - 1) });
    case "lease-expired":
      return lostHolder(item, "lease expired", now);
    case "holder-offline":
      return lostHolder(item, `holder ${item.lease?.agent ?? "?"} went offline`, now);
    case "requeue":
      return enter(item, "pending", now);
    case "cancel":
      return enter(item, "cancelled", now, action.reason ? { cancelReason: action.reason } : {});
    case "expire":
      return enter(item, "expired", now);
    case "dlq-retry":
      return enter(
        item,
        "pending",
        now,
        action.resetAttempts ? { attempts: 0 } : { maxAttempts: item.attempts + 1 },
      );
    case "discard":
      return enter(item, "discarded", now);
  }
}

/** Capped exponential backoff with jitter for retry `attempt` (1-based): 1 s, 2 s, 4 s ... up to `capMs`. */
export function retryBackoff(attempt: number, capMs = 60_000, random: () => number = Math.random): number {
  const base = Math.min(capMs, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** True when the item can be claimed at `now` (pending, or failed with its retry due, and not past deadline). */
export function isClaimable(item: WorkItem, now: number): boolean {
  if (item.deadline && Date.parse(item.deadline) <= now) return false;
  if (item.status === "pending") return true;
  return item.status === "failed" && (!item.retryAt || Date.parse(item.retryAt) <= now);
}
