import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WorkItem } from "../src/work/pipeline.js";
import {
  isClaimable,
  retryBackoff,
  transition,
  WORK_STATUSES,
  type WorkAction,
  type WorkStatus,
} from "../src/work/state-machine.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const STATUSES: readonly WorkStatus[] = WORK_STATUSES;

function item(status: WorkStatus, patch: Partial<WorkItem> = {}): WorkItem {
  const base: WorkItem = {
    id: "w1",
    project: "p",
    taskId: "t",
    description: "d",
    capability: "c",
    boundary: "b",
    priority: 5,
    status,
    attempts: status === "pending" ? 0 : 1,
    maxAttempts: 3,
    leaseMs: 1000,
    fence: 1,
    errors: [],
    submittedBy: "s",
    timestamps: { pending: new Date(T0).toISOString() },
  };
  if (status === "in-progress")
    base.lease = { agent: "a", expiresAt: new Date(T0 + 1000).toISOString(), token: 1 };
  return { ...base, ...patch };
}

const ACTIONS: WorkAction[] = [
  { type: "claim", agent: "b", now: T0 },
  { type: "progress", agent: "a", token: 1, percent: 50, now: T0 },
  { type: "complete", agent: "a", token: 1, result: { summary: "ok" }, now: T0 },
  { type: "fail", agent: "a", token: 1, error: "boom", retryable: true, backoffMs: 100, now: T0 },
  { type: "release", agent: "a", token: 1, now: T0 },
  { type: "lease-expired", now: T0 },
  { type: "holder-offline", now: T0 },
  { type: "requeue", now: T0 },
  { type: "cancel", now: T0 },
  { type: "expire", now: T0 },
  { type: "dlq-retry", resetAttempts: true, now: T0 },
  { type: "discard", now: T0 },
];

// The full table: every (status, action) either moves to the listed status or is refused.
const LEGAL: Record<string, Partial<Record<WorkStatus, WorkStatus>>> = {
  claim: { pending: "in-progress", failed: "in-progress" },
  progress: { "in-progress": "in-progress" },
  complete: { "in-progress": "completed" },
  fail: { "in-progress": "failed" },
  release: { "in-progress": "pending" },
  "lease-expired": { "in-progress": "pending" },
  "holder-offline": { "in-progress": "pending" },
  requeue: { failed: "pending" },
  cancel: { pending: "cancelled", "in-progress": "cancelled", failed: "cancelled" },
  expire: { pending: "expired", "in-progress": "expired", failed: "expired" },
  "dlq-retry": { "dead-lettered": "pending" },
  discard: { "dead-lettered": "discarded" },
};

describe("work state machine", () => {
  for (const status of STATUSES) {
    for (const action of ACTIONS) {
      const want = LEGAL[action.type]?.[status];
      it(`${status} + ${action.type} → ${want ?? "refused"}`, () => {
        if (want) expect(transition(item(status), action).status).toBe(want);
        else
          expect(() => transition(item(status), action)).toThrow(
            expect.objectContaining({ code: expect.stringMatching(/ILLEGAL_TRANSITION|CANCELLED/) }),
          );
      });
    }
  }

  it("claim counts an attempt, raises the fencing token and sets a lease", () => {
    const next = transition(item("pending"), { type: "claim", agent: "x", now: T0 });
    expect(next).toMatchObject({
      attempts: 1,
      fence: 2,
      lease: { agent: "x", token: 2, expiresAt: new Date(T0 + 1000).toISOString() },
    });
  });

  it("refuses a stale lease: another agent, or an old token", () => {
    const held = item("in-progress");
    expect(() =>
      transition(held, { type: "complete", agent: "other", token: 1, result: {}, now: T0 }),
    ).toThrow(expect.objectContaining({ code: "LEASE_STALE" }));
    expect(() => transition(held, { type: "complete", agent: "a", token: 0, result: {}, now: T0 })).toThrow(
      expect.objectContaining({ code: "LEASE_STALE" }),
    );
  });

  it("tells a holder of a cancelled item that it was cancelled", () => {
    const c = transition(item("in-progress"), { type: "cancel", reason: "not needed", now: T0 });
    expect(() => transition(c, { type: "progress", agent: "a", token: 1, now: T0 })).toThrow(
      expect.objectContaining({ code: "CANCELLED" }),
    );
  });

  it("progress extends the lease", () => {
    const next = transition(item("in-progress"), { type: "progress", agent: "a", token: 1, now: T0 + 900 });
    expect(next.lease?.expiresAt).toBe(new Date(T0 + 1900).toISOString());
  });

  it("dead-letters a non-retryable failure at once, and a retryable one when attempts are spent", () => {
    const f = (attempts: number, retryable: boolean) =>
      transition(item("in-progress", { attempts }), {
        type: "fail",
        agent: "a",
        token: 1,
        error: "x",
        retryable,
        backoffMs: 10,
        now: T0,
      }).status;
    expect(f(1, false)).toBe("dead-lettered");
    expect(f(1, true)).toBe("failed");
    expect(f(3, true)).toBe("dead-lettered");
  });

  it("a lost holder sends the item back, or to the DLQ when attempts are spent, recording why", () => {
    const back = transition(item("in-progress", { attempts: 1 }), { type: "holder-offline", now: T0 });
    expect(back.status).toBe("pending");
    expect(back.errors[0]?.message).toContain("offline");
    expect(transition(item("in-progress", { attempts: 3 }), { type: "lease-expired", now: T0 }).status).toBe(
      "dead-lettered",
    );
  });

  it("release gives the item back without counting the attempt", () => {
    expect(
      transition(item("in-progress", { attempts: 2 }), { type: "release", agent: "a", token: 1, now: T0 })
        .attempts,
    ).toBe(1);
  });

  it("a failed item is claimable only once its retry is due", () => {
    const failed = item("failed", { retryAt: new Date(T0 + 500).toISOString() });
    expect(isClaimable(failed, T0)).toBe(false);
    expect(() => transition(failed, { type: "claim", agent: "b", now: T0 })).toThrow();
    expect(isClaimable(failed, T0 + 500)).toBe(true);
    expect(isClaimable(item("pending", { deadline: new Date(T0).toISOString() }), T0)).toBe(false);
  });

  it("backoff doubles and is capped", () => {
    const mid = () => 0.5;
    expect([1, 2, 3].map((n) => retryBackoff(n, 60_000, mid))).toEqual([750, 1500, 3000]);
    expect(retryBackoff(30, 60_000, () => 1)).toBe(60_000);
  });

  it("random action sequences never reach an illegal state (property)", () => {
    const action = fc.constantFrom(...ACTIONS.map((a) => a.type));
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 40 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (types, coin) => {
          let cur = item("pending");
          let now = T0;
          types.forEach((type, i) => {
            now += 100;
            const holder = cur.lease?.agent ?? "z";
            const token = cur.lease?.token ?? 0;
            const a = { ...(ACTIONS.find((x) => x.type === type) as WorkAction), now } as WorkAction;
            if ("agent" in a && a.type !== "claim") Object.assign(a, { agent: holder, token });
            if (a.type === "fail") Object.assign(a, { retryable: coin[i] ?? true, backoffMs: 0 });
            try {
              cur = transition(cur, a);
            } catch {
              return;
            }
            // Invariants of every reachable state.
            expect(STATUSES).toContain(cur.status);
            expect(cur.status === "in-progress").toBe(cur.lease !== undefined);
            expect(cur.attempts).toBeGreaterThanOrEqual(0);
            if (cur.status === "pending" || cur.status === "failed")
              expect(cur.attempts).toBeLessThanOrEqual(cur.maxAttempts);
            expect(cur.fence).toBeGreaterThanOrEqual(cur.lease?.token ?? 0);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
