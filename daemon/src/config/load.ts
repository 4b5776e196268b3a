/**
 * Load loom.yaml: parse keeping positions, validate against the schema, cross-check, apply defaults.
 * Never throws for bad input: every problem comes back as a ConfigError with file:line:col, the path,
 * what was expected and a hint.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import {
  formatPath,
  type LoomConfig,
  type SchemaIssue,
  validateLoomConfig,
} from "../../../schemas/src/index.js";
import { DEFAULT_CHANNELS } from "../../../warp/src/index.js";
import { crossCheck } from "./checks.js";
import type { ConfigError } from "./errors.js";
import { positionOf } from "./positions.js";

/** The outcome of loading a config. */
export type LoadResult =
  | { ok: true; config: LoomConfig; hash: string; warnings: ConfigError[] }
  | { ok: false; errors: ConfigError[]; hash: string };

/** Injected edges for {@link loadConfigText}. */
export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Does this (secret) file exist? Default: the real file system. */
  exists?: (path: string) => boolean;
  /** Where relative `${file:...}` secrets resolve (default: the file's directory). */
  baseDir?: string;
}

/** sha256 of the text, hex: the content hash that identifies a revision. */
export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function hintFor(issue: SchemaIssue): string | undefined {
  if (issue.keyword === "additionalProperties")
    return "Check the spelling; docs/config.md lists every field.";
  if (issue.keyword === "required") return "Add it.";
  if (issue.keyword === "pattern" && /timeout|interval|maxAge|lease|cooldown|resync/.test(issue.path))
    return "Use a duration like 30s, 5m, 1h30m or 7d.";
  if (issue.keyword === "pattern") return "Names use lower-case letters, digits and dashes.";
  return undefined;
}

/** Load from text (pure apart from the injected env/exists). */
export function loadConfigText(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const hash = hashText(text);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
      return {
        file,
        line: pos.line,
        col: pos.col,
        path: "(yaml)",
        message: e.message.split("\n")[0] ?? e.message,
        hint: "Fix the YAML syntax.",
      };
    });
    return { ok: false, errors, hash };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // e.g. an alias to an anchor that does not exist (`*name`), or an alias bomb.
    const alias = /\*[^\s,\]}]*/.exec(text);
    const pos = alias ? lc.linePos(alias.index) : { line: 1, col: 1 };
    return {
      ok: false,
      hash,
      errors: [
        {
          file,
          line: pos.line,
          col: pos.col,
          path: "(yaml)",
          message: (err as Error).message,
          hint: "Define the anchor (&name) before using the alias (*name).",
        },
      ],
    };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      hash,
      errors: [
        {
          file,
          line: 1,
          col: 1,
          path: "(root)",
          message: "loom.yaml must be a mapping",
          hint: "Start with `version: 1` and `project: <name>`.",
        },
      ],
    };
  }
  const at = (path: (string | number)[], message: string, hint?: string): ConfigError => {
    const { line, col } = positionOf(doc, lc, path);
    return { file, line, col, path: formatPath(path), message, ...(hint ? { hint } : {}) };
  };
  const v = validateLoomConfig(data);
  if (!v.ok) return { ok: false, hash, errors: v.issues.map((i) => at(i.pointer, i.message, hintFor(i))) };
  const findings = crossCheck(
    v.value,
    opts.env ?? process.env,
    opts.baseDir ?? dirname(file),
    opts.exists ?? existsSync,
  );
  if (findings.length > 0)
    return { ok: false, hash, errors: findings.map((f) => at(f.path, f.message, f.hint)) };
  return { ok: true, config: withDefaults(v.value), hash, warnings: [] };
}

/** Load a file. A missing or unreadable file is an error with a hint, never a throw. */
export async function loadConfigFile(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
    return {
      ok: false,
      hash: "",
      errors: [
        {
          file,
          line: 1,
          col: 1,
          path: "(file)",
          message: `${file} ${why}`,
          hint: "Pass the path of your loom.yaml, or run loomd in its directory.",
        },
      ],
    };
  }
  return loadConfigText(text, file, opts);
}

/** Fill in the documented defaults. */
export function withDefaults(cfg: LoomConfig): LoomConfig {
  const idle = { timeout: "5m", minInstances: 0, ...cfg.defaults?.idle };
  return {
    ...cfg,
    nats: { url: "embedded", ...cfg.nats },
    boundaries: cfg.boundaries ?? {},
    channels: cfg.channels ?? DEFAULT_CHANNELS.map((c) => ({ ...c })),
    defaults: { lease: "5m", maxAttempts: 3, ...cfg.defaults, idle },
    targets: (cfg.targets ?? []).map((t) => ({
      maxInstances: 1,
      minInstances: 0,
      priority: 50,
      cooldown: "10s",
      launchTimeout: "2m",
      ...t,
      idle: { ...idle, ...t.idle },
    })),
    api: { listen: "127.0.0.1:3000", ...cfg.api },
    daemon: { leaderLease: "10s", resync: "5m", stateDir: ".loom", ...cfg.daemon },
  };
}
