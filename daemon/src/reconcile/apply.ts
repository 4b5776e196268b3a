/**
 * The staged apply, the only writer of spec keys: compare-and-set writes, then prune, then the new
 * inventory. A CAS conflict means someone wrote meanwhile: read again, plan again, retry (capped,
 * jittered backoff). NATS outages surface as LoomErrors for the caller to retry.
 */
import {
  ensureKv,
  isRevisionConflict,
  readLatestEntries,
  SPEC_BUCKET,
  type WarpCore,
} from "../../../warp/src/index.js";
import { valueHash } from "./desired.js";
import { type Action, type Observed, plan } from "./plan.js";

/** What one apply did. */
export interface ApplyResult {
  actions: Action[];
  /** key → hash of the value written: the keys loomd now owns. */
  inventory: Map<string, string>;
  /** Keys that had been changed outside loomd and were restored. */
  drift: string[];
}

/** Read every spec key with its revision. */
export async function observeSpec(core: WarpCore): Promise<Map<string, Observed>> {
  await ensureKv(core.nc, SPEC_BUCKET, { history: 5 });
  const out = new Map<string, Observed>();
  for (const e of await readLatestEntries(core, SPEC_BUCKET))
    out.set(e.key, { value: e.value, revision: e.revision });
  return out;
}

/** Make the spec bucket match `desired`. */
export async function applySpec(
  core: WarpCore,
  desired: Map<string, string>,
  inventory: Map<string, string>,
): Promise<ApplyResult> {
  const kv = await ensureKv(core.nc, SPEC_BUCKET, { history: 5 });
  for (let attempt = 0; ; attempt++) {
    const actions = plan(desired, await observeSpec(core), inventory);
    try {
      for (const a of actions) {
        if (a.op === "create") await kv.create(a.key, a.after);
        else if (a.op === "update") await kv.update(a.key, a.after, a.revision);
      }
      // Prune only after every declared key is in place.
      for (const a of actions) if (a.op === "delete") await kv.delete(a.key, { previousSeq: a.revision });
    } catch (err) {
      if (!isRevisionConflict(err) || attempt >= 5) throw err;
      await core.clock.sleep(Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
      continue;
    }
    const next = new Map([...desired].map(([k, v]) => [k, valueHash(v)] as const));
    const drift = actions.filter((a) => a.op === "update" && a.drift).map((a) => a.key);
    return { actions, inventory: next, drift };
  }
}
