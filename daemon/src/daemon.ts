/**
 * loomd's run loop. Connects (starting the embedded NATS when asked), campaigns for leadership, and
 * while leader: reconciles on start, on every saved change of the file (debounced, by content hash;
 * the directory is watched so editors that save by rename work), on SIGHUP (`reconcileNow`), and on
 * the resync interval; and runs the work janitor. Stop finishes the step in flight, resigns, and
 * disconnects.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, resolve } from "node:path";
import { watch } from "chokidar";
import {
  connectWarp,
  ensureKv,
  type Logger,
  LoomError,
  parseDuration,
  SPEC_BUCKET,
  startJanitor,
  type Warp,
} from "../../warp/src/index.js";
import { hashText, loadConfigFile } from "./config/index.js";
import { fetchSourceHead, stateDirOf } from "./config-source.js";
import { type EmbeddedNats, startEmbeddedNats } from "./embedded-nats.js";
import { campaign, type Election } from "./leader.js";
import { DEFAULTS_KEY } from "./reconcile/desired.js";
import { type ReconcileOutcome, reconcileOnce } from "./reconcile/reconcile.js";

/** Options for {@link startDaemon}. */
export interface DaemonOptions {
  file: string;
  log: Logger;
  /** Use this NATS instead of the file's `nats` setting. */
  natsUrl?: string;
  /** Identity in the leader lease (default host:pid). */
  id?: string;
  env?: NodeJS.ProcessEnv;
  /** Debounce for file events (default 100 ms). */
  debounceMs?: number;
  /** Called after each reconcile (tests, metrics). */
  onReconcile?: (o: ReconcileOutcome) => void;
}

/** A running daemon. */
export interface Daemon {
  readonly natsUrl: string;
  isLeader(): boolean;
  /** Reconcile now (SIGHUP). Resolves when done; no-op unless leader. */
  reconcileNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start-up settings from the local file: where NATS is (`--nats`, else nats.url, starting an embedded
 * server when it says so), the lease, and the resync and git-poll intervals.
 */
async function natsFor(o: DaemonOptions): Promise<{
  url: string;
  embedded?: EmbeddedNats;
  leaseMs: number;
  resyncMs: number;
  gitIntervalMs: number;
}> {
  const loaded = await loadConfigFile(o.file, o.env ? { env: o.env } : {});
  const cfg = loaded.ok ? loaded.config : undefined;
  const leaseMs = parseDuration(cfg?.daemon?.leaderLease ?? "10s") ?? 10_000;
  const resyncMs = Math.max(1_000, parseDuration(cfg?.daemon?.resync ?? "5m") ?? 300_000);
  // At least a second: "0s" would otherwise spin fetching.
  const gitIntervalMs = Math.max(1_000, parseDuration(cfg?.source?.git?.interval ?? "1m") ?? 60_000);
  if (o.natsUrl) return { url: o.natsUrl, leaseMs, resyncMs, gitIntervalMs };
  if (!cfg) {
    throw new LoomError("CONFIG_INVALID", `${o.file} is invalid, so loomd cannot tell which NATS to use.`, {
      hint: "Run `loomd validate` and fix the errors, or pass --nats URL.",
      details: { errors: loaded.ok ? [] : loaded.errors },
    });
  }
  const url = cfg.nats?.url ?? "embedded";
  if (url !== "embedded") return { url, leaseMs, resyncMs, gitIntervalMs };
  const stateDir = stateDirOf(o.file, cfg);
  const embedded = await startEmbeddedNats(stateDir, cfg.nats?.embedded?.port ?? 4222);
  o.log.info({ url: embedded.url, stateDir }, "embedded nats-server started");
  return { url: embedded.url, embedded, leaseMs, resyncMs, gitIntervalMs };
}

/** Start loomd. */
export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const file = resolve(o.file);
  const { url, embedded, leaseMs, resyncMs, gitIntervalMs } = await natsFor({ ...o, file });
  let warp: Warp;
  try {
    warp = await connectWarp({
      project: "loomd",
      nats: { servers: url, name: "loomd" },
      log: o.log,
      ...(o.env ? { env: o.env } : {}),
    });
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const id = o.id ?? `${hostname()}:${process.pid}`;
  let inFlight: Promise<void> = Promise.resolve();
  let lastHash = "";
  let since = "";
  let janitor: ReturnType<typeof startJanitor> | undefined;
  // Set by the election callback, which can fire before campaign() returns.
  let leading = false;

  // With source.git: the commit last reconciled, and whether that reconcile succeeded.
  let lastCommit: string | undefined;
  let lastOk = false;
  /** Run steps one at a time, in order: reconciles and git polls never overlap. */
  const enqueue = (step: () => Promise<void>) => {
    // A step that throws must not stop the ones after it.
    inFlight = inFlight.then(step).catch((err: unknown) => o.log.error({ err }, "daemon step failed"));
    return inFlight;
  };
  const reconcile = (why: string) => enqueue(() => run(why));
  const run = async (why: string) => {
    if (!leading) return;
    try {
      const out = await reconcileOnce(warp.core, file, {
        ...(o.env ? { env: o.env } : {}),
        leader: { id, since },
      });
      lastHash = out.revision.hash;
      lastCommit = out.revision.repo ? out.revision.gitCommit : undefined;
      lastOk = out.ok;
      o.log.info(
        {
          why,
          ok: out.ok,
          revision: out.revision.hash.slice(0, 12),
          ...(out.ok
            ? { changes: out.result.actions.filter((a) => a.op !== "noop").length, drift: out.result.drift }
            : { errors: out.errors.length }),
        },
        "reconciled",
      );
      o.onReconcile?.(out);
    } catch (err) {
      o.log.error({ err, why }, "reconcile failed; will retry on the next trigger");
    }
  };
  // source.git: fetch on the interval and reconcile when the branch moved, the fetch failed (so status
  // says so) or the last try failed. A poll still waiting in the queue is not queued twice.
  let pollQueued = false;
  const poll = () => {
    if (pollQueued) return inFlight;
    pollQueued = true;
    return enqueue(async () => {
      pollQueued = false;
      if (!leading) return;
      const commit = await fetchSourceHead(file, o.env ? { env: o.env } : {});
      if (commit === null) return; // no source.git
      if (commit === undefined || commit !== lastCommit || !lastOk)
        await run(commit ? `git: ${commit.slice(0, 12)}` : "git: fetch failed");
    });
  };

  const election: Election = await campaign(warp.core, id, leaseMs, (leader) => {
    leading = leader;
    o.log.info({ id, leader }, leader ? "became leader" : "lost leadership");
    if (leader) {
      since = new Date().toISOString();
      janitor = startJanitor({
        core: warp.core,
        pipeline: warp.work,
        registry: warp.registry,
        intervalMs: 2_000,
        // From the reconciled spec, so a changed defaults.workRetention applies at the next sweep.
        retentionMs: async () => {
          const e = await (await ensureKv(warp.core.nc, SPEC_BUCKET)).get(DEFAULTS_KEY);
          const d = e?.operation === "PUT" ? e.json<{ workRetention?: string }>() : undefined;
          return d?.workRetention ? parseDuration(d.workRetention) : undefined;
        },
      });
      void reconcile("leadership");
    } else {
      void janitor?.stop();
      janitor = undefined;
    }
  });

  let debounce: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(file), { ignoreInitial: true, depth: 0, awaitWriteFinish: false });
  watcher.on("all", (_event, path) => {
    if (basename(path) !== basename(file)) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        return; // mid-rename; the next event brings the new file
      }
      if (hashText(text) !== lastHash) void reconcile("file changed");
    }, o.debounceMs ?? 100);
  });
  const resync = setInterval(() => void reconcile("resync"), resyncMs);
  resync.unref();
  const gitPoll = setInterval(() => void poll(), gitIntervalMs);
  gitPoll.unref();

  return {
    natsUrl: url,
    isLeader: () => leading,
    reconcileNow: () => reconcile("requested"),
    async stop() {
      clearInterval(resync);
      clearInterval(gitPoll);
      clearTimeout(debounce);
      await watcher.close();
      await inFlight;
      await janitor?.stop();
      leading = false;
      await election.resign();
      await warp.close();
      await embedded?.stop();
    },
  };
}
