/**
 * WarpCore: one NATS connection with its JetStream handles, the project it serves, a clock and a
 * logger. Every warp module (channels, registry, direct messages, work) is built from one.
 */
import { type JetStreamClient, type JetStreamManager, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { type Clock, systemClock } from "./clock.js";
import { connectNats, type NatsSettings, openJetStream, resolveNatsSettings } from "./connection.js";
import { type Logger, silentLogger } from "./log.js";
import { assertToken } from "./names.js";

/** A connected core. Close it to drain the connection. */
export interface WarpCore {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** The project this process serves (a token). */
  readonly project: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** The servers, for messages (`nats://127.0.0.1:4222`). */
  readonly where: string;
  /** Drain and close the connection. Safe to call twice. */
  close(): Promise<void>;
}

/** Options for {@link openCore}. */
export interface OpenCoreOptions {
  /** The project (a token, see `resolveProject`). */
  project: string;
  /** How to reach NATS (env NATS_URL etc. fill the gaps). */
  nats?: NatsSettings;
  /** Use an existing connection instead of opening one (it is not closed by `close`). */
  connection?: NatsConnection;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: silent. */
  log?: Logger;
  /** Environment for NATS_* variables (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Connect (or adopt a connection), check JetStream is on, and return a core. */
export async function openCore(opts: OpenCoreOptions): Promise<WarpCore> {
  const project = assertToken(opts.project, "project");
  const owned = opts.connection === undefined;
  const where = owned ? resolveNatsSettings(opts.nats, opts.env).servers.join(", ") : "the given connection";
  const nc = opts.connection ?? (await connectNats(opts.nats, opts.env));
  let jsm: JetStreamManager;
  try {
    jsm = await openJetStream(nc, where);
  } catch (err) {
    if (owned) await nc.close();
    throw err;
  }
  let closed = false;
  return {
    nc,
    js: jetstream(nc),
    jsm,
    project,
    clock: opts.clock ?? systemClock,
    log: opts.log ?? silentLogger(),
    where,
    close: async () => {
      if (closed || !owned) return;
      closed = true;
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
