/**
 * The example agent: registers, claims work it is eligible for, reports progress, and completes each
 * item with an echo of its description. loomd launches it from the root loom.yaml, and the end-to-end
 * tests launch it as real processes.
 *
 * Environment: NATS_URL, LOOM_PROJECT (default "loom"), LOOM_HANDLE, LOOM_CAPABILITIES (default "echo"),
 * LOOM_BOUNDARIES (default "personal"), LOOM_LAUNCH_ID / LOOM_TARGET (set by loomd),
 * ECHO_DELAY_MS (time spent per item, default 0), ECHO_EXIT_WHEN_IDLE_MS (exit after this long without
 * work; default never), ECHO_HEARTBEAT_MS (default 10000).
 * Items whose contextData has `failUntilAttempt: N` fail (retryably) on attempts up to N.
 * Prints one JSON line per completed item on stdout: {"completed": "<id>", "attempt": n}.
 */
import { hostname } from "node:os";
import { connectWarp, createLogger, isLoomError, type WorkItem } from "../../warp/src/index.js";

const env = process.env;
const list = (v: string | undefined, d: string) =>
  (v ?? d)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const log = createLogger({ name: "echo-agent" });
const delayMs = Number(env.ECHO_DELAY_MS ?? 0);
const idleExitMs = env.ECHO_EXIT_WHEN_IDLE_MS ? Number(env.ECHO_EXIT_WHEN_IDLE_MS) : undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const warp = await connectWarp({
  project: env.LOOM_PROJECT ?? "loom",
  nats: { name: "echo-agent" },
  log,
  heartbeatMs: Number(env.ECHO_HEARTBEAT_MS ?? 10_000),
});
const me = await warp.registry.register({
  handle: env.LOOM_HANDLE ?? `echo-${process.pid}`,
  agentType: "script",
  capabilities: list(env.LOOM_CAPABILITIES, "echo"),
  boundaries: list(env.LOOM_BOUNDARIES, "personal"),
  hostname: hostname(),
  ...(env.LOOM_LAUNCH_ID ? { launchId: env.LOOM_LAUNCH_ID } : {}),
  ...(env.LOOM_TARGET ? { target: env.LOOM_TARGET } : {}),
});
const presence = warp.registry.startPresence(me.guid);
log.info({ guid: me.guid, handle: me.handle }, "registered");

let stopping = false;
let holding: WorkItem | undefined;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  if (holding) await warp.work.release(me.guid, holding.id).catch(() => undefined);
  await presence.stop();
  await warp.close();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());

/** Retry calls that failed because NATS was briefly away; a lost lease or a cancel is final. */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const transient =
        isLoomError(err, "TIMEOUT") ||
        isLoomError(err, "NATS_UNREACHABLE") ||
        isLoomError(err, "INTERNAL") ||
        isLoomError(err, "JETSTREAM_DISABLED");
      if (!transient || stopping || attempt > 100) throw err;
      await sleep(Math.min(2_000, 100 * 2 ** attempt));
    }
  }
}

/** Items this agent holds but lost track of (a claim whose reply was lost in an outage). */
async function resumeHeld(): Promise<WorkItem | undefined> {
  const held = await warp.work.list({ status: "in-progress", holder: me.guid, limit: 1 });
  return held[0];
}

async function work(item: WorkItem): Promise<void> {
  const failUntil = Number(
    (item.contextData as { failUntilAttempt?: number } | undefined)?.failUntilAttempt ?? 0,
  );
  if (item.attempts <= failUntil) {
    await retrying(() =>
      warp.work.fail(me.guid, item.id, `failing on purpose (attempt ${item.attempts} of ${failUntil})`),
    );
    return;
  }
  if (delayMs > 0) {
    await retrying(() => warp.work.progress(me.guid, item.id, { percent: 50, message: "echoing" }));
    await sleep(delayMs);
  }
  await retrying(() => warp.work.complete(me.guid, item.id, { summary: `echo: ${item.description}` }));
  process.stdout.write(`${JSON.stringify({ completed: item.id, attempt: item.attempts })}\n`);
}

let idleSince = Date.now();
let recovering = true; // on start and after an error, first resume anything we already hold
while (!stopping) {
  try {
    holding =
      (recovering ? await resumeHeld() : undefined) ?? (await warp.work.claim(me, { timeoutMs: 1_000 }));
    recovering = false;
    if (!holding) {
      if (idleExitMs !== undefined && Date.now() - idleSince > idleExitMs) break;
      continue;
    }
    await work(holding);
    holding = undefined;
    idleSince = Date.now();
  } catch (err) {
    // A lost lease or a cancelled item just means: move on. NATS outages: back off and retry.
    if (!isLoomError(err, "LEASE_STALE") && !isLoomError(err, "CANCELLED"))
      log.warn({ err }, "work loop error");
    holding = undefined;
    recovering = true;
    await sleep(250);
  }
}
await stop();
