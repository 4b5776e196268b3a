/**
 * One reconcile: load the file, and either apply it (Ready) or keep the last good spec and report the
 * error with its position (Stalled). NATS trouble is reported as not Ready and retried by the loop.
 */
import { createChannels, openCore, type WarpCore } from "../../../warp/src/index.js";
import { type ConfigError, formatConfigError } from "../config/index.js";
import { loadSourcedConfig } from "../config-source.js";
import { type ApplyResult, applySpec } from "./apply.js";
import { desiredState } from "./desired.js";
import { readOverrides } from "./overrides.js";
import {
  conditionsFor,
  type ReconcileStatus,
  type Revision,
  readStatus,
  sourceSuffix,
  writeStatus,
} from "./status.js";

/** The outcome of one reconcile. */
export type ReconcileOutcome =
  | { ok: true; revision: Revision; result: ApplyResult }
  | { ok: false; revision: Revision; errors: ConfigError[] };

/** Reconcile `file` into NATS once. */
export async function reconcileOnce(
  core: WarpCore,
  file: string,
  opts: { env?: NodeJS.ProcessEnv; leader?: ReconcileStatus["leader"] } = {},
): Promise<ReconcileOutcome> {
  const now = new Date(core.clock.now()).toISOString();
  const prev = await readStatus(core);
  const loaded = await loadSourcedConfig(file, opts.env ? { env: opts.env } : {});
  const revision = loaded.revision;
  const base = {
    observedRevision: revision,
    inventory: prev?.inventory ?? {},
    overrides: await readOverrides(core),
    drift: [] as string[],
    updatedAt: now,
    ...(prev?.lastAppliedRevision ? { lastAppliedRevision: prev.lastAppliedRevision } : {}),
    ...(opts.leader ? { leader: opts.leader } : {}),
  };
  if (!loaded.ok) {
    const first = loaded.errors[0] as ConfigError;
    const msg = `${loaded.errors.length} error(s); keeping the last good config. ${formatConfigError(first)}`;
    await writeStatus(core, {
      ...base,
      conditions: conditionsFor(false, loaded.reason, msg, now, prev?.conditions),
      lastError: first,
    });
    return { ok: false, revision, errors: loaded.errors };
  }
  const result = await applySpec(core, desiredState(loaded.config), new Map(Object.entries(base.inventory)));
  // Channel limits live on their streams: make them match the declared channels of the project.
  const chCore = await openCore({
    project: loaded.config.project,
    connection: core.nc,
    clock: core.clock,
    log: core.log,
  });
  await createChannels(chCore, { channels: loaded.config.channels ?? [] }).ensure();
  const changed = result.actions.filter((a) => a.op !== "noop").length;
  const msg = `Applied revision ${loaded.hash.slice(0, 12)}${sourceSuffix(revision)}: ${changed} change(s)${result.drift.length ? `, restored ${result.drift.join(", ")}` : ""}.`;
  await writeStatus(core, {
    ...base,
    conditions: conditionsFor(true, "ReconcileSucceeded", msg, now, prev?.conditions),
    lastAppliedRevision: revision,
    inventory: Object.fromEntries(result.inventory),
    drift: result.drift,
  });
  return { ok: true, revision, result };
}
