/**
 * Leader election through a KV lease: the bucket's TTL is the lease time. The leader refreshes its key
 * with compare-and-set well within the TTL; a standby tries to create the key, which succeeds only once
 * the old leader's entry has expired (it died) or was deleted (it resigned).
 */
import {
  ensureKv,
  isRevisionConflict,
  kvStream,
  LEADER_BUCKET,
  LEADER_KEY,
  type WarpCore,
} from "../../warp/src/index.js";

/** A running election. */
export interface Election {
  isLeader(): boolean;
  /** Give up the lease (delete it if we hold it) and stop campaigning. */
  resign(): Promise<void>;
}

/** Campaign for leadership as `id`; `onChange` is called when leadership is gained or lost. */
export async function campaign(
  core: WarpCore,
  id: string,
  leaseMs: number,
  onChange: (leader: boolean) => void,
): Promise<Election> {
  const kv = await ensureKv(core.nc, LEADER_BUCKET, { history: 1, ttl: leaseMs });
  // The bucket may predate a change of daemon.leaderLease: its TTL is the lease, so keep them equal.
  const stream = kvStream(LEADER_BUCKET);
  const info = await core.jsm.streams.info(stream);
  const maxAge = leaseMs * 1_000_000;
  if (info.config.max_age !== maxAge)
    await core.jsm.streams.update(stream, {
      ...info.config,
      max_age: maxAge,
      // JetStream refuses a duplicate window longer than max_age (a shorter lease than before).
      duplicate_window: Math.min(info.config.duplicate_window ?? maxAge, maxAge),
    });
  let revision: number | undefined;
  let stopped = false;
  const value = () => JSON.stringify({ id, at: new Date(core.clock.now()).toISOString() });
  let leading = false;
  const set = (leader: boolean) => {
    if (!leader) revision = undefined;
    if (leading !== leader) {
      leading = leader;
      onChange(leader);
    }
  };
  const tick = async () => {
    try {
      if (revision !== undefined) {
        revision = await kv.update(LEADER_KEY, value(), revision);
      } else {
        const r = await kv.create(LEADER_KEY, value());
        revision = r;
        set(true);
      }
    } catch (err) {
      if (isRevisionConflict(err)) set(false);
      else core.log.warn({ err }, "leader lease refresh failed");
    }
  };
  await tick();
  const timer = setInterval(
    () => {
      if (!stopped) void tick();
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  return {
    isLeader: () => revision !== undefined,
    async resign() {
      stopped = true;
      clearInterval(timer);
      if (revision !== undefined)
        await kv.delete(LEADER_KEY, { previousSeq: revision }).catch(() => undefined);
      revision = undefined;
      leading = false;
    },
  };
}
