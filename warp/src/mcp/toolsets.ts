/** `WARP_TOOLSETS`: which tool groups a server exposes. */
import { LoomError } from "../errors.js";
import type { Toolset } from "./tool.js";

/** Every toolset. */
export const ALL_TOOLSETS: readonly Toolset[] = ["messaging", "registry", "work"];

/** Parse `messaging,registry,work` (empty or `all`: every toolset). Throws INVALID_ARGUMENT on unknown names. */
export function parseToolsets(raw: string | undefined): Set<Toolset> {
  if (!raw || raw.trim() === "" || raw.trim() === "all") return new Set(ALL_TOOLSETS);
  const out = new Set<Toolset>();
  for (const part of raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(ALL_TOOLSETS as readonly string[]).includes(part)) {
      throw new LoomError("INVALID_ARGUMENT", `Unknown toolset "${part}" in WARP_TOOLSETS.`, {
        hint: `Use a comma-separated subset of: ${ALL_TOOLSETS.join(", ")}.`,
      });
    }
    out.add(part as Toolset);
  }
  return out;
}
