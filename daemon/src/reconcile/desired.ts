/**
 * The declared spec as KV entries (bucket loom-spec): one key per target, boundary and channel, plus
 * the defaults and the project. Values are canonical JSON (sorted keys), so equal specs compare equal.
 * Secret references stay references.
 */
import { createHash } from "node:crypto";
import type { LoomConfig } from "../../../schemas/src/index.js";

/** Canonical JSON: object keys sorted at every level. */
export function canonical(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Short content hash of a value (for the inventory). */
export function valueHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 16);
}

/** Spec key of the declared `defaults` (read by the janitor for workRetention). */
export const DEFAULTS_KEY = "policies.defaults";

/** key → canonical JSON value, for every spec key the config declares. */
export function desiredState(cfg: LoomConfig): Map<string, string> {
  const out = new Map<string, string>();
  out.set("meta.project", canonical({ project: cfg.project }));
  out.set(DEFAULTS_KEY, canonical(cfg.defaults ?? {}));
  for (const [name, b] of Object.entries(cfg.boundaries ?? {}))
    out.set(`boundaries.${name}`, canonical({ name, ...b }));
  for (const c of cfg.channels ?? []) out.set(`channels.${c.name}`, canonical(c));
  for (const t of cfg.targets ?? []) out.set(`targets.${t.name}`, canonical(t));
  if (cfg.api?.listen) out.set("api", canonical({ listen: cfg.api.listen }));
  return out;
}
