/**
 * Runtime overrides the design allows (disable or enable a target, pause or resume spin-up), kept in
 * their own bucket apart from the spec, so a reconcile never undoes them and they survive restarts.
 */
import {
  ensureKv,
  LoomError,
  OVERRIDES_BUCKET,
  readLatestEntries,
  type WarpCore,
} from "../../../warp/src/index.js";

/** The overrides loomd understands. */
export type OverrideCommand = "disable-target" | "enable-target" | "pause-spinup" | "resume-spinup";

/** Apply an override command. */
export async function setOverride(core: WarpCore, cmd: OverrideCommand, target?: string): Promise<void> {
  const kv = await ensureKv(core.nc, OVERRIDES_BUCKET, { history: 5 });
  const now = new Date(core.clock.now()).toISOString();
  if (cmd === "pause-spinup") await kv.put("spinup.paused", JSON.stringify({ paused: true, at: now }));
  else if (cmd === "resume-spinup") await kv.delete("spinup.paused");
  else {
    if (!target)
      throw new LoomError("INVALID_ARGUMENT", `${cmd} needs a target name.`, {
        hint: `loomd override ${cmd} <target>`,
      });
    if (cmd === "disable-target")
      await kv.put(`targets.${target}.disabled`, JSON.stringify({ disabled: true, at: now }));
    else await kv.delete(`targets.${target}.disabled`);
  }
}

/** Every override in force, key → value. */
export async function readOverrides(core: WarpCore): Promise<Record<string, unknown>> {
  await ensureKv(core.nc, OVERRIDES_BUCKET, { history: 5 });
  const out: Record<string, unknown> = {};
  for (const e of await readLatestEntries(core, OVERRIDES_BUCKET)) out[e.key] = JSON.parse(e.value);
  return out;
}
