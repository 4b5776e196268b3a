/**
 * Idempotent creation of the streams and buckets Loom owns. Each ensure is cached per connection so
 * hot paths pay for it once; a changed config (e.g. a channel's limits) updates the stream.
 */
import type { JetStreamManager, StreamConfig } from "@nats-io/jetstream";
import { type KV, Kvm, type KvOptions } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { fromNatsError, isNotFound } from "./errors.js";

type StreamSpec = Partial<StreamConfig> & { name: string; subjects: string[] };

const LIMIT_KEYS = [
  "max_msgs",
  "max_bytes",
  "max_age",
  "max_msg_size",
  "max_msgs_per_subject",
  "discard",
] as const;

/** Create `spec` if missing; update its limits (and subjects) if they differ. Returns true if it changed. */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec): Promise<boolean> {
  try {
    const info = await jsm.streams.info(spec.name);
    const cur = info.config as unknown as Record<string, unknown>;
    const want = spec as unknown as Record<string, unknown>;
    const differs =
      LIMIT_KEYS.some((k) => want[k] !== undefined && want[k] !== cur[k]) ||
      spec.subjects.join(",") !== (info.config.subjects ?? []).join(",");
    if (!differs) return false;
    await jsm.streams.update(spec.name, { ...info.config, ...spec });
    return true;
  } catch (err) {
    if (!isNotFound(err)) throw fromNatsError(err, `checking stream ${spec.name}`);
  }
  try {
    await jsm.streams.add(spec);
    return true;
  } catch (err) {
    // Another process created it between our info and add: fine if it now exists.
    try {
      await jsm.streams.info(spec.name);
      return false;
    } catch {
      throw fromNatsError(err, `creating stream ${spec.name}`);
    }
  }
}

const kvCache = new WeakMap<NatsConnection, Map<string, Promise<KV>>>();

/** Open (creating if needed) a KV bucket; cached per connection. */
export function ensureKv(nc: NatsConnection, bucket: string, opts: Partial<KvOptions> = {}): Promise<KV> {
  let byName = kvCache.get(nc);
  if (!byName) {
    byName = new Map();
    kvCache.set(nc, byName);
  }
  let p = byName.get(bucket);
  if (!p) {
    p = new Kvm(nc).create(bucket, opts).catch((err: unknown) => {
      byName?.delete(bucket);
      throw fromNatsError(err, `opening bucket ${bucket}`);
    });
    byName.set(bucket, p);
  }
  return p;
}
