/**
 * Read the latest value of every key matching a filter in one pass: an ordered consumer on the
 * bucket's stream with "last per subject" delivery. Far cheaper than listing keys and getting each.
 */
import { DeliverPolicy } from "@nats-io/jetstream";
import type { WarpCore } from "./core.js";
import { fromNatsError } from "./errors.js";
import { kvStream, kvSubject } from "./names.js";

/** Latest JSON values (deletes skipped) of keys in `bucket` matching `keyFilter` (KV wildcards). */
export async function readLatest<T>(core: WarpCore, bucket: string, keyFilter: string): Promise<T[]> {
  const out: T[] = [];
  for (const e of await readLatestEntries(core, bucket, keyFilter)) {
    if (e.value.length === 0) continue;
    try {
      out.push(JSON.parse(e.value) as T);
    } catch {
      // A value written by hand that is not JSON is not a record; one bad key must not hide the rest.
      core.log.warn({ bucket, key: e.key }, "skipping a value that is not JSON");
    }
  }
  return out;
}

/** One key's latest value as stored, with its revision. */
export interface RawEntry {
  key: string;
  value: string;
  revision: number;
}

/** Latest raw values and revisions (deletes skipped) of keys in `bucket` matching `keyFilter`. */
export async function readLatestEntries(
  core: WarpCore,
  bucket: string,
  keyFilter = ">",
): Promise<RawEntry[]> {
  const prefix = kvSubject(bucket, "");
  try {
    const consumer = await core.js.consumers.get(kvStream(bucket), {
      filter_subjects: `${prefix}${keyFilter}`,
      deliver_policy: DeliverPolicy.LastPerSubject,
    });
    try {
      const pending = (await consumer.info(true)).num_pending;
      const out: RawEntry[] = [];
      if (pending === 0) return out;
      let seen = 0;
      for await (const m of await consumer.fetch({ max_messages: pending, expires: 5_000 })) {
        seen++;
        const op = m.headers?.get("KV-Operation");
        if (op !== "DEL" && op !== "PURGE")
          out.push({ key: m.subject.slice(prefix.length), value: m.string(), revision: m.seq });
        if (seen >= pending || m.info.pending === 0) break;
      }
      return out;
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  } catch (err) {
    throw fromNatsError(err, `reading ${bucket}`, core.where);
  }
}
