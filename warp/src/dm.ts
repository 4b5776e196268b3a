/**
 * Direct messages: a durable inbox per agent, kept in one stream. A message is read by removing it
 * from the stream; only one reader can remove a given message, so each is delivered exactly once,
 * even to concurrent readers of one inbox. Messages sent while the recipient is offline wait for it.
 * A read receipt in KV lets the sender see that its message was read.
 */
import { randomUUID } from "node:crypto";
import { DeliverPolicy } from "@nats-io/jetstream";
import { headers } from "@nats-io/nats-core";
import type { DirectMessage } from "../../schemas/src/index.js";
import type { WarpCore } from "./core.js";
import { fromNatsError, LoomError } from "./errors.js";
import { ensureKv, ensureStream } from "./jetstream.js";
import { DM_RECEIPTS_BUCKET, DM_STREAM, DM_STREAM_SUBJECTS, dmSubject } from "./names.js";

export type { DirectMessage } from "../../schemas/src/index.js";

/** Largest direct message body (1 MiB). */
export const MAX_DM_BYTES = 1024 * 1024;

/** Who sends. */
export interface DmSender {
  guid: string;
  handle: string;
  project: string;
}

/** Read options. */
export interface DmReadOptions {
  /** Only messages of this type; others stay unread. */
  type?: string;
  /** Only messages from this sender guid or handle; others stay unread. */
  from?: string;
  /** At most this many (default 20, max 100). */
  limit?: number;
  /** When nothing matches, wait up to this long for a message (default 0: return at once). */
  waitMs?: number;
}

/** Delivery state as the sender sees it. */
export type DmStatus = "delivered" | "read";

/** Inbox operations. */
export interface DirectMessages {
  send(input: {
    from: DmSender;
    toGuid: string;
    toProject?: string;
    type?: string;
    body: string;
    metadata?: Record<string, unknown>;
  }): Promise<{ id: string; status: DmStatus }>;
  read(recipient: { project: string; guid: string }, opts?: DmReadOptions): Promise<DirectMessage[]>;
  unreadCount(project: string, guid: string): Promise<number>;
  status(messageId: string): Promise<{ id: string; status: DmStatus; readAt?: string }>;
}

/** Build the DM module; `maxPerInbox` bounds each inbox (oldest dropped first). */
export function createDirectMessages(core: WarpCore, opts: { maxPerInbox?: number } = {}): DirectMessages {
  const maxPerInbox = opts.maxPerInbox ?? 1000;
  let ready: Promise<unknown> | undefined;
  const ensure = () => {
    ready ??= ensureStream(core.jsm, {
      name: DM_STREAM,
      subjects: DM_STREAM_SUBJECTS,
      max_msgs_per_subject: maxPerInbox,
      max_msg_size: MAX_DM_BYTES + 8192,
    }).catch((err) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
  const receipts = () => ensureKv(core.nc, DM_RECEIPTS_BUCKET, { history: 1, ttl: 7 * 86_400_000 });

  /** One pass over the inbox: claim (delete) matching messages, up to `limit`. */
  const take = async (subject: string, o: DmReadOptions, limit: number): Promise<DirectMessage[]> => {
    const consumer = await core.js.consumers.get(DM_STREAM, {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.All,
    });
    const out: DirectMessage[] = [];
    try {
      const pending = (await consumer.info(true)).num_pending;
      if (pending === 0) return out;
      const iter = await consumer.fetch({ max_messages: pending, expires: 5_000 });
      let seen = 0;
      for await (const m of iter) {
        seen++;
        const msg = m.json<DirectMessage>();
        const matches =
          (!o.type || msg.type === o.type) && (!o.from || msg.fromGuid === o.from || msg.from === o.from);
        if (matches && out.length < limit) {
          const won = await core.jsm.streams.deleteMessage(DM_STREAM, m.seq, false).catch(() => false);
          if (won) out.push(msg);
        }
        if (seen >= pending || m.info.pending === 0 || out.length >= limit) break;
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return out;
  };

  return {
    async send(input) {
      const size = Buffer.byteLength(input.body, "utf8");
      if (size > MAX_DM_BYTES) {
        throw new LoomError("TOO_LARGE", `Message is ${size} bytes; a direct message may be at most 1 MiB.`, {
          hint: "Send a summary and point at a file or artifact for the rest.",
        });
      }
      await ensure();
      const msg: DirectMessage = {
        id: randomUUID(),
        from: input.from.handle,
        fromGuid: input.from.guid,
        fromProject: input.from.project,
        to: input.toGuid,
        type: input.type ?? "text",
        body: input.body,
        sentAt: new Date(core.clock.now()).toISOString(),
      };
      if (input.metadata) msg.metadata = input.metadata;
      const h = headers();
      h.set("Nats-Msg-Id", msg.id);
      try {
        await core.js.publish(dmSubject(input.toProject ?? core.project, input.toGuid), JSON.stringify(msg), {
          headers: h,
        });
      } catch (err) {
        throw fromNatsError(err, "sending a direct message", core.where);
      }
      return { id: msg.id, status: "delivered" };
    },
    async read(recipient, o = {}) {
      await ensure();
      const limit = Math.min(Math.max(1, o.limit ?? 20), 100);
      const subject = dmSubject(recipient.project, recipient.guid);
      // Subscribe before the first pass so a message arriving in between still wakes us.
      const sub = o.waitMs ? core.nc.subscribe(subject) : undefined;
      try {
        let got = await take(subject, o, limit);
        const deadline = core.clock.now() + (o.waitMs ?? 0);
        while (got.length === 0 && sub && core.clock.now() < deadline) {
          const arrived = await nextOrTimeout(sub, deadline - core.clock.now());
          if (!arrived) break;
          got = await take(subject, o, limit);
        }
        if (got.length > 0) await markRead(await receipts(), got, recipient.guid, core.clock.now());
        return got;
      } catch (err) {
        throw fromNatsError(err, "reading direct messages", core.where);
      } finally {
        sub?.unsubscribe();
      }
    },
    async unreadCount(project, guid) {
      await ensure();
      const subject = dmSubject(project, guid);
      const info = await core.jsm.streams.info(DM_STREAM, { subjects_filter: subject });
      return info.state.subjects?.[subject] ?? 0;
    },
    async status(id) {
      const e = await (await receipts()).get(id);
      if (e && e.operation === "PUT") {
        const r = e.json<{ readAt: string }>();
        return { id, status: "read", readAt: r.readAt };
      }
      return { id, status: "delivered" };
    },
  };
}

async function markRead(
  kv: Awaited<ReturnType<typeof ensureKv>>,
  msgs: DirectMessage[],
  reader: string,
  now: number,
): Promise<void> {
  const readAt = new Date(now).toISOString();
  await Promise.all(msgs.map((m) => kv.put(m.id, JSON.stringify({ readAt, reader }))));
}

async function nextOrTimeout(sub: AsyncIterable<unknown>, ms: number): Promise<boolean> {
  const it = sub[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([it.next().then((r) => !r.done), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
