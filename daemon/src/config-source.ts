/**
 * The config to reconcile: the local file, or, when it declares `source.git`, loom.yaml as committed on
 * the followed branch. The local file stays the bootstrap: where NATS is, the daemon's own settings and
 * `source` itself come from it; the committed file's `source` block is ignored.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { LoomConfig } from "../../schemas/src/index.js";
import { LoomError } from "../../warp/src/index.js";
import { type ConfigError, type LoadResult, loadConfigFile, loadConfigText } from "./config/index.js";
import { positionOf } from "./config/positions.js";
import { gitRevision } from "./git-info.js";
import { fetchGitSource } from "./git-source.js";
import type { Reason, Revision } from "./reconcile/status.js";

/** A loaded config and where it came from. */
export type SourcedConfig =
  | (Extract<LoadResult, { ok: true }> & { revision: Revision })
  | {
      ok: false;
      errors: ConfigError[];
      revision: Revision;
      reason: Extract<Reason, "ConfigInvalid" | "SourceUnavailable">;
    };

/** Where loomd keeps local state for `file` (daemon.stateDir, default `.loom` beside the file). */
export function stateDirOf(file: string, cfg: LoomConfig): string {
  return resolve(dirname(file), cfg.daemon?.stateDir ?? ".loom");
}

/**
 * With `source.git`: fetch the branch and return its head commit (undefined when the fetch fails);
 * null when the file (as it is now) follows no branch.
 */
export async function fetchSourceHead(
  file: string,
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<string | undefined | null> {
  const local = await loadConfigFile(file, opts.env ? { env: opts.env } : {});
  const spec = local.ok ? local.config.source?.git : undefined;
  if (!local.ok || !spec) return null;
  return fetchGitSource(spec, { stateDir: stateDirOf(file, local.config), baseDir: dirname(file) }).then(
    (s) => s.commit,
    () => undefined,
  );
}

/** Load `file`, following its `source.git` when it has one. */
export async function loadSourcedConfig(
  file: string,
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<SourcedConfig> {
  const env = opts.env ? { env: opts.env } : {};
  const local = await loadConfigFile(file, env);
  const localRevision: Revision = { hash: local.hash, file, ...gitRevision(file) };
  if (!local.ok) return { ...local, revision: localRevision, reason: "ConfigInvalid" };
  const spec = local.config.source?.git;
  if (!spec) return { ...local, revision: localRevision };
  const baseDir = dirname(file);
  try {
    const snap = await fetchGitSource(spec, { stateDir: stateDirOf(file, local.config), baseDir });
    const loaded = loadConfigText(snap.text, snap.label, { ...env, baseDir });
    const revision: Revision = {
      hash: loaded.hash,
      file: snap.path,
      gitCommit: snap.commit,
      dirty: false,
      repo: snap.repo,
      branch: snap.branch,
    };
    if (!loaded.ok) return { ...loaded, revision, reason: "ConfigInvalid" };
    return { ...loaded, revision };
  } catch (err) {
    if (!(err instanceof LoomError)) throw err;
    return {
      ok: false,
      revision: localRevision,
      reason: "SourceUnavailable",
      errors: [
        {
          ...sourcePosition(file),
          path: "source.git",
          message: err.message,
          ...(err.hint ? { hint: err.hint } : {}),
        },
      ],
    };
  }
}

/** Where `source.git` sits in the local file, so editors can jump there. */
function sourcePosition(file: string): { file: string; line: number; col: number } {
  try {
    const text = readFileSync(file, "utf8");
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc });
    return { file, ...positionOf(doc, lc, ["source", "git"]) };
  } catch {
    return { file, line: 1, col: 1 };
  }
}
