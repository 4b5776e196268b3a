/**
 * Channels: named, persistent message streams per project. Read the newest N; limits per channel.
 */
import { DeliverPolicy } from "@nats-io/jetstream";
import { headers } from "@nats-io/nats-core";
import { parseDuration } from "./clock.js";
import type { WarpCore } from "./core.js";
import { fromNatsError, isNotFound, LoomError } from "./errors.js";
import { ensureStream } from "./jetstream.js";
import { channelStream, channelSubject } from "./names.js";
import { type ChannelConfig, DEFAULT_CHANNELS, parseChannel } from "./project.js";

/** Largest message body accepted (1 MiB). */
export const MAX_CHANNEL_MESSAGE_BYTES = 1024 * 1024;
/** Default and maximum page size for {@link Channels.read}. */
export const DEFAULT_READ_LIMIT = 50;
export const MAX_READ_LIMIT = 1000;

/** A message on a channel. */
export interface ChannelMessage {
  /** Stream sequence: increases within a channel. */
  seq: number;
  channel: string;
  /** Sender handle (or guid). */
  from: string;
  fromGuid?: string;
  body: string;
  metadata?: Record<string, unknown>;
  /** ISO time the server stored it. */
  time: string;
}

/** A channel and its state. */
export interface ChannelInfo extends ChannelConfig {
  messages: number;
  lastSeq: number;
}

/** Channel operations for one project. */
export interface Channels {
  /** Create every configured channel's stream; update limits that changed. Idempotent. */
  ensure(): Promise<void>;
  /** Configured channels with message counts. */
  list(): Promise<ChannelInfo[]>;
  /** Publish; returns the stored message's sequence. */
  send(
    channel: string,
    msg: { from: string; fromGuid?: string; body: string; metadata?: Record<string, unknown> },
  ): Promise<number>;
  /** The newest `limit` messages (default 50, max 1000), oldest first; `sinceSeq` returns only newer ones. */
  read(channel: string, opts?: { limit?: number; sinceSeq?: number }): Promise<ChannelMessage[]>;
  /** The channel's subject, for live subscriptions. */
  subject(channel: string): string;
}

function streamConfig(project: string, c: ChannelConfig) {
  const age = c.maxAge ? parseDuration(c.maxAge) : undefined;
  return {
    name: channelStream(project, c.name),
    subjects: [channelSubject(project, c.name)],
    max_msgs: c.maxMessages ?? 10_000,
    max_bytes: c.maxBytes ?? -1,
    max_age: age ? age * 1_000_000 : 0,
    max_msg_size: MAX_CHANNEL_MESSAGE_BYTES + 4096,
    description: c.description ?? "",
  };
}

/** Build the channel module for `core.project`. */
export function createChannels(core: WarpCore, opts: { channels?: ChannelConfig[] } = {}): Channels {
  const configs = (opts.channels ?? DEFAULT_CHANNELS.map((c) => ({ ...c }))).map((c) =>
    parseChannel(c, "channels"),
  );
  let ensured: Promise<void> | undefined;
  const ensure = () => {
    ensured ??= (async () => {
      for (const c of configs) await ensureStream(core.jsm, streamConfig(core.project, c));
    })().catch((err) => {
      ensured = undefined;
      throw err;
    });
    return ensured;
  };
  const known = (channel: string): ChannelConfig => {
    const c = configs.find((x) => x.name === channel);
    if (!c) {
      throw new LoomError("NOT_FOUND", `No channel "${channel}" in project ${core.project}.`, {
        hint: `Channels: ${configs.map((x) => x.name).join(", ")}. Add channels in .loom-config.json.`,
      });
    }
    return c;
  };

  return {
    ensure,
    subject: (channel) => channelSubject(core.project, known(channel).name),
    async list() {
      await ensure();
      return Promise.all(
        configs.map(async (c) => {
          const info = await core.jsm.streams.info(channelStream(core.project, c.name));
          return { ...c, messages: info.state.messages, lastSeq: info.state.last_seq };
        }),
      );
    },
    async send(channel, msg) {
      known(channel);
      const size = Buffer.byteLength(msg.body, "utf8");
      if (size > MAX_CHANNEL_MESSAGE_BYTES) {
        throw new LoomError(
          "TOO_LARGE",
          `Message is ${size} bytes; a channel message may be at most 1 MiB.`,
          {
            hint: "Split it, or post a summary and put the rest in a file or an artifact.",
          },
        );
      }
      await ensure();
      const h = headers();
      h.set("Loom-From", msg.from);
      if (msg.fromGuid) h.set("Loom-From-Guid", msg.fromGuid);
      const payload = JSON.stringify({ body: msg.body, metadata: msg.metadata });
      try {
        const ack = await core.js.publish(channelSubject(core.project, channel), payload, { headers: h });
        return ack.seq;
      } catch (err) {
        throw fromNatsError(err, `sending to channel ${channel}`, core.where);
      }
    },
    async read(channel, ropts = {}) {
      known(channel);
      const limit = Math.min(Math.max(1, Math.floor(ropts.limit ?? DEFAULT_READ_LIMIT)), MAX_READ_LIMIT);
      await ensure();
      return readNewest(core, channel, limit, ropts.sinceSeq ?? 0);
    },
  };
}

async function readNewest(
  core: WarpCore,
  channel: string,
  limit: number,
  sinceSeq: number,
): Promise<ChannelMessage[]> {
  const stream = channelStream(core.project, channel);
  let info: Awaited<ReturnType<typeof core.jsm.streams.info>>;
  try {
    info = await core.jsm.streams.info(stream);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw fromNatsError(err, `reading channel ${channel}`, core.where);
  }
  const { first_seq: first, last_seq: last, messages } = info.state;
  if (messages === 0 || last <= sinceSeq) return [];
  const start = Math.max(first, last - limit + 1, sinceSeq + 1);
  const consumer = await core.js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: start,
  });
  const out: ChannelMessage[] = [];
  try {
    const want = last - start + 1;
    const iter = await consumer.fetch({ max_messages: want, expires: 2_000 });
    for await (const m of iter) {
      const data = m.json<{ body: string; metadata?: Record<string, unknown> }>();
      const msg: ChannelMessage = {
        seq: m.seq,
        channel,
        from: m.headers?.get("Loom-From") ?? "unknown",
        body: data.body,
        time: new Date(m.info.timestampNanos / 1_000_000).toISOString(),
      };
      const guid = m.headers?.get("Loom-From-Guid");
      if (guid) msg.fromGuid = guid;
      if (data.metadata) msg.metadata = data.metadata;
      out.push(msg);
      if (m.seq >= last) break;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  return out.slice(-limit);
}
