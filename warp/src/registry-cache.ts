/**
 * A live, in-memory copy of the agent registry for long-running processes (the MCP server, the daemon):
 * discovery then filters memory instead of scanning the bucket on every call. It loads a snapshot in
 * one pass, then follows a KV watch from the stream sequence the snapshot started at, so no write falls
 * between the two. Entries carry their revision and an older revision never replaces a newer one, so
 * the process's own writes (applied at once, for read-your-writes) and the watch can arrive in any order.
 * If the watch ends, the cache reports itself stale and the registry falls back to scanning.
 */
import type { KV } from "@nats-io/kv";
import type { AgentRecord } from "../../schemas/src/index.js";
import type { WarpCore } from "./core.js";
import { readLatestEntries } from "./kv-scan.js";
import { AGENTS_BUCKET, kvStream } from "./names.js";

/** The live copy. */
export interface AgentCache {
  /** False once the watch has ended (connection closed, consumer lost): callers must scan instead. */
  live(): boolean;
  /** Every record, optionally of one project. */
  records(project?: string): AgentRecord[];
  /** Apply a write this process just made (key, record or undefined for a delete, its revision). */
  apply(key: string, rec: AgentRecord | undefined, revision: number): void;
  close(): void;
}

/** Load the registry and follow it. */
export async function startAgentCache(core: WarpCore, kv: KV): Promise<AgentCache> {
  const entries = new Map<string, { rec: AgentRecord | undefined; revision: number }>();
  // Everything after `last` comes from the watch; the snapshot may overlap it, which revisions absorb.
  const last = (await core.jsm.streams.info(kvStream(AGENTS_BUCKET))).state.last_seq;
  const apply = (key: string, rec: AgentRecord | undefined, revision: number, fromSnapshot = false) => {
    const cur = entries.get(key);
    if (cur && cur.revision >= revision) return;
    // The snapshot (taken after `last`) has no entry for a key deleted by then: a write this old,
    // applied late, must not bring it back.
    if (!cur && !fromSnapshot && revision <= last) return;
    entries.set(key, { rec, revision });
  };
  for (const e of await readLatestEntries(core, AGENTS_BUCKET)) {
    try {
      apply(e.key, JSON.parse(e.value) as AgentRecord, e.revision, true);
    } catch {
      // A value that is not JSON is not an agent; discovery skips it, as the scan does.
    }
  }
  const watch = await kv.watch({ key: ">", resumeFromRevision: last + 1 });
  let live = true;
  void (async () => {
    try {
      for await (const e of watch) {
        if (e.operation === "PUT") {
          try {
            apply(e.key, e.json<AgentRecord>(), e.revision);
          } catch {
            apply(e.key, undefined, e.revision);
          }
        } else apply(e.key, undefined, e.revision);
      }
    } catch (err) {
      core.log.warn({ err }, "agent registry watch ended; discovery falls back to scanning");
    } finally {
      live = false;
    }
  })();
  return {
    live: () => live,
    records(project) {
      const prefix = project === undefined || project === "*" ? "" : `${project}.`;
      const out: AgentRecord[] = [];
      for (const [key, e] of entries) if (e.rec && key.startsWith(prefix)) out.push(e.rec);
      return out;
    },
    apply: (key, rec, revision) => apply(key, rec, revision),
    close() {
      live = false;
      watch.stop();
    },
  };
}
