/**
 * Cross-checks the schema cannot express: unique target names, boundaries that exist, the mechanism
 * block that matches `mechanism` (and no other), durations that parse, instance bounds, secret
 * references that resolve.
 */
import { existsSync } from "node:fs";
import type { LoomConfig } from "../../../schemas/src/index.js";
import { parseDuration } from "../../../warp/src/index.js";
import { checkSecretRef, findSecretRefs } from "./secrets.js";

/** A problem found by a cross-check, before positions are attached. */
export interface Finding {
  path: (string | number)[];
  message: string;
  hint?: string;
}

const MECHANISMS = ["local", "ssh", "kubernetes", "github-actions", "webhook"] as const;

/** Run every cross-check. */
export function crossCheck(
  cfg: LoomConfig,
  env: NodeJS.ProcessEnv,
  baseDir: string,
  exists: (p: string) => boolean = existsSync,
): Finding[] {
  const out: Finding[] = [];
  const boundaries = new Set(Object.keys(cfg.boundaries ?? {}));
  const known = [...boundaries].join(", ") || "none declared";
  const needBoundary = (b: string, path: (string | number)[]) => {
    if (!boundaries.has(b))
      out.push({
        path,
        message: `boundary "${b}" is not declared`,
        hint: `Declare it under boundaries: (declared: ${known}).`,
      });
  };
  const seen = new Map<string, number>();
  (cfg.targets ?? []).forEach((t, i) => {
    const first = seen.get(t.name);
    if (first !== undefined)
      out.push({
        path: ["targets", i, "name"],
        message: `target name "${t.name}" is already used by targets[${first}]`,
        hint: "Target names must be unique.",
      });
    else seen.set(t.name, i);
    for (const [j, b] of t.boundaries.entries()) needBoundary(b, ["targets", i, "boundaries", j]);
    const blocks = t as unknown as Record<string, unknown>;
    if (blocks[t.mechanism] === undefined) {
      out.push({
        path: ["targets", i, "mechanism"],
        message: `mechanism is ${t.mechanism} but there is no ${t.mechanism}: block`,
        hint: `Add a ${t.mechanism}: block with its settings.`,
      });
    }
    for (const m of MECHANISMS) {
      if (m !== t.mechanism && blocks[m] !== undefined) {
        out.push({
          path: ["targets", i, m],
          message: `a ${m}: block on a target whose mechanism is ${t.mechanism}`,
          hint: `Remove it, or set mechanism: ${m}.`,
        });
      }
    }
    if (t.minInstances !== undefined && t.maxInstances !== undefined && t.minInstances > t.maxInstances) {
      out.push({
        path: ["targets", i, "minInstances"],
        message: `minInstances ${t.minInstances} is more than maxInstances ${t.maxInstances}`,
        hint: "Lower minInstances or raise maxInstances.",
      });
    }
  });
  if (cfg.defaults?.boundary) needBoundary(cfg.defaults.boundary, ["defaults", "boundary"]);
  for (const [name, b] of Object.entries(cfg.boundaries ?? {})) {
    (b.targets ?? []).forEach((t, j) => {
      if (!seen.has(t))
        out.push({
          path: ["boundaries", name, "targets", j],
          message: `target "${t}" is not declared`,
          hint: "List names from targets:.",
        });
    });
  }
  const channelNames = new Set<string>();
  (cfg.channels ?? []).forEach((c, i) => {
    if (channelNames.has(c.name))
      out.push({ path: ["channels", i, "name"], message: `channel "${c.name}" is declared twice` });
    channelNames.add(c.name);
  });
  walk(cfg, [], (value, path) => {
    if (
      /^(timeout|interval|maxAge|lease|cooldown|launchTimeout|leaderLease|resync)$/.test(
        String(path.at(-1)),
      ) &&
      parseDuration(value) === undefined
    ) {
      out.push({ path, message: `"${value}" is not a duration`, hint: "Use e.g. 30s, 5m, 1h30m or 7d." });
    }
    for (const ref of findSecretRefs(value)) {
      const bad = checkSecretRef(ref, env, baseDir, exists);
      if (bad) out.push({ path, ...bad });
    }
  });
  return out;
}

function walk(
  v: unknown,
  path: (string | number)[],
  onString: (s: string, path: (string | number)[]) => void,
): void {
  if (typeof v === "string") onString(v, path);
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, [...path, i], onString);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) walk(x, [...path, k], onString);
}
