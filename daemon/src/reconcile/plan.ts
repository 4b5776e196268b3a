/**
 * plan(desired, observed, inventory) → actions. Pure. `inventory` maps each key loomd owns to the
 * hash of the value it last wrote, so an observed value that differs from it was changed behind
 * loomd's back (drift), and a key loomd owns that is no longer declared is pruned. Keys loomd does
 * not own are never touched.
 */
import { valueHash } from "./desired.js";

/** What NATS holds for one key. */
export interface Observed {
  value: string;
  revision: number;
}

/** One step of a plan. */
export type Action =
  | { op: "create"; key: string; after: string }
  | { op: "update"; key: string; before: string; after: string; revision: number; drift: boolean }
  | { op: "delete"; key: string; before: string; revision: number }
  | { op: "noop"; key: string };

/** Compute the actions that make `observed` match `desired`. Sorted by key; deletes last. */
export function plan(
  desired: Map<string, string>,
  observed: Map<string, Observed>,
  inventory: Map<string, string>,
): Action[] {
  const out: Action[] = [];
  for (const key of [...desired.keys()].sort()) {
    const after = desired.get(key) as string;
    const cur = observed.get(key);
    if (!cur) out.push({ op: "create", key, after });
    else if (cur.value === after) out.push({ op: "noop", key });
    else {
      const owned = inventory.get(key);
      const drift = owned !== undefined && owned !== valueHash(cur.value);
      out.push({ op: "update", key, before: cur.value, after, revision: cur.revision, drift });
    }
  }
  for (const key of [...inventory.keys()].sort()) {
    const cur = observed.get(key);
    if (!desired.has(key) && cur) out.push({ op: "delete", key, before: cur.value, revision: cur.revision });
  }
  return out;
}

/** True when the plan changes anything. */
export function hasChanges(actions: Action[]): boolean {
  return actions.some((a) => a.op !== "noop");
}

/** A readable, line-oriented diff of one action's fields: `- field: old` / `+ field: new`. */
export function describeAction(a: Action): string[] {
  const fields = (s: string) =>
    Object.entries(JSON.parse(s) as Record<string, unknown>).map(([k, v]) => [k, JSON.stringify(v)] as const);
  switch (a.op) {
    case "noop":
      return [];
    case "create":
      return [`+ ${a.key}`, ...fields(a.after).map(([k, v]) => `    + ${k}: ${v}`)];
    case "delete":
      return [`- ${a.key} (no longer declared)`];
    case "update": {
      const before = new Map(fields(a.before));
      const after = new Map(fields(a.after));
      const lines = [`~ ${a.key}${a.drift ? " (changed outside loomd: restoring)" : ""}`];
      for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
        if (before.get(k) === after.get(k)) continue;
        if (before.has(k)) lines.push(`    - ${k}: ${before.get(k)}`);
        if (after.has(k)) lines.push(`    + ${k}: ${after.get(k)}`);
      }
      return lines;
    }
  }
}
