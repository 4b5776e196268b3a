/**
 * Which project this process serves, and its channels. Environment over file over defaults:
 * `LOOM_PROJECT`, else `project`/`namespace` in `.loom-config.json` (or `.mcp-config.json`, read for
 * compatibility) in the working directory or a parent, else the git top-level directory name.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseDuration } from "./clock.js";
import { LoomError } from "./errors.js";
import { CHANNEL_NAME_RE, sanitizeProject } from "./names.js";

/** One channel and its limits. */
export interface ChannelConfig {
  /** `^[a-z0-9-]+$` */
  name: string;
  description?: string;
  /** Keep at most this many messages (default 10 000). */
  maxMessages?: number;
  /** Keep at most this many bytes (default unlimited). */
  maxBytes?: number;
  /** Drop messages older than this, e.g. `7d` (default: never). */
  maxAge?: string;
}

/** The resolved project. */
export interface ProjectConfig {
  project: string;
  channels: ChannelConfig[];
  /** Where the project name came from. */
  source: "env" | "file" | "git" | "default";
  /** The config file read, if any. */
  configFile?: string;
}

/** The channels every project has unless its config says otherwise. */
export const DEFAULT_CHANNELS: readonly ChannelConfig[] = [
  { name: "roadmap", description: "Plans, priorities and decisions" },
  { name: "parallel-work", description: "Who is working on what, to avoid collisions" },
  { name: "errors", description: "Failures worth other agents' attention" },
];

const CONFIG_FILES = [".loom-config.json", ".mcp-config.json"];

function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const f of CONFIG_FILES) {
      const p = join(dir, f);
      if (existsSync(p)) return p;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function gitTopLevel(cwd: string): string | undefined {
  try {
    const out = execFileSync("git", ["rev-parse", "--show-toplevel"], {
      cwd,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const top = out.toString().trim();
    return top.length > 0 ? top : undefined;
  } catch {
    return undefined;
  }
}

/** Validate one channel entry from a config file; `where` names the file for the message. */
export function parseChannel(raw: unknown, where: string): ChannelConfig {
  const bad = (why: string) =>
    new LoomError("CONFIG_INVALID", `${where}: channel ${JSON.stringify(raw)} ${why}.`, {
      hint: 'A channel looks like { "name": "planning", "maxMessages": 5000, "maxAge": "7d" }.',
    });
  if (typeof raw !== "object" || raw === null) throw bad("is not an object");
  const c = raw as Record<string, unknown>;
  if (typeof c.name !== "string" || !CHANNEL_NAME_RE.test(c.name))
    throw bad("needs a name matching ^[a-z0-9-]+$");
  const out: ChannelConfig = { name: c.name };
  if (typeof c.description === "string") out.description = c.description;
  for (const k of ["maxMessages", "maxBytes"] as const) {
    if (c[k] === undefined) continue;
    if (typeof c[k] !== "number" || !Number.isInteger(c[k]) || (c[k] as number) <= 0)
      throw bad(`has ${k} that is not a positive integer`);
    out[k] = c[k] as number;
  }
  if (c.maxAge !== undefined) {
    if (typeof c.maxAge !== "string" || parseDuration(c.maxAge) === undefined)
      throw bad('has maxAge that is not a duration like "7d" or "12h"');
    out.maxAge = c.maxAge;
  }
  return out;
}

function readConfig(file: string): { project?: string; channels?: ChannelConfig[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new LoomError("CONFIG_INVALID", `${file} is not valid JSON.`, {
      hint: "Fix the JSON syntax, or delete the file to use the defaults.",
      cause,
    });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new LoomError("CONFIG_INVALID", `${file} must hold a JSON object.`, {
      hint: 'For example { "project": "my-repo", "channels": [{ "name": "roadmap" }] }.',
    });
  }
  const obj = raw as Record<string, unknown>;
  const name = obj.project ?? obj.namespace;
  const out: { project?: string; channels?: ChannelConfig[] } = {};
  if (typeof name === "string" && name.trim() !== "") out.project = sanitizeProject(name);
  if (obj.channels !== undefined) {
    if (!Array.isArray(obj.channels))
      throw new LoomError("CONFIG_INVALID", `${file}: "channels" must be a list.`, {
        hint: 'Use "channels": [{ "name": "roadmap" }].',
      });
    out.channels = obj.channels.map((c) => parseChannel(c, file));
  }
  return out;
}

/** Resolve the project and its channels. Throws CONFIG_INVALID for a malformed config file. */
export function resolveProject(opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ProjectConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const configFile = findConfigFile(cwd);
  const file = configFile ? readConfig(configFile) : {};
  const channels = file.channels ?? DEFAULT_CHANNELS.map((c) => ({ ...c }));
  const base = configFile ? { channels, configFile } : { channels };
  if (env.LOOM_PROJECT && env.LOOM_PROJECT.trim() !== "") {
    return { project: sanitizeProject(env.LOOM_PROJECT), source: "env", ...base };
  }
  if (file.project) return { project: file.project, source: "file", ...base };
  const top = gitTopLevel(cwd);
  if (top) return { project: sanitizeProject(basename(top)), source: "git", ...base };
  return { project: sanitizeProject(basename(resolve(cwd))), source: "default", ...base };
}
