/**
 * The import rules from DESIGN.md, checked by a test instead of by review:
 * - schemas/ imports nothing of ours; warp/ imports only schemas/; daemon/ imports schemas/ and warp/;
 *   shuttle/ imports schemas/, warp/ and the daemon's public entry; nothing imports shuttle/.
 * - A folder is entered only through its curated entry (`<folder>/src/index.ts`, or `warp/src/mcp/index.ts`).
 * - warp's library entry never pulls in the MCP SDK, zod, ink, react or commander.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const ROOMS = ["schemas", "warp", "daemon", "shuttle"] as const;
type Room = (typeof ROOMS)[number];

const MAY_IMPORT: Record<Room, Room[]> = {
  schemas: [],
  warp: ["schemas"],
  daemon: ["schemas", "warp"],
  shuttle: ["schemas", "warp", "daemon"],
};

/** Public entries other rooms may import. */
const ENTRIES = new Set([
  "schemas/src/index.ts",
  "warp/src/index.ts",
  "warp/src/mcp/index.ts",
  "daemon/src/index.ts",
]);

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2]) as string);
  return out;
}

function resolveLocal(from: string, spec: string): string {
  return relative(ROOT, resolve(dirname(from), spec)).replace(/\.js$/, ".ts");
}

function roomOf(rel: string): Room | undefined {
  return ROOMS.find((r) => rel === r || rel.startsWith(`${r}/`));
}

function localFile(rel: string): string {
  for (const cand of [rel, rel.replace(/\.ts$/, ".tsx")]) {
    try {
      if (statSync(join(ROOT, cand)).isFile()) return cand;
    } catch {
      // try the next candidate
    }
  }
  return rel;
}

describe("architecture: import rules", () => {
  const files = ROOMS.flatMap((r) => sourceFiles(join(ROOT, r, "src")));

  it("finds the source it checks", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it("each room imports only the rooms it may, and only through their public entries", () => {
    const violations: string[] = [];
    for (const file of files) {
      const rel = relative(ROOT, file);
      const room = roomOf(rel) as Room;
      for (const spec of importsOf(file)) {
        if (!spec.startsWith(".")) continue;
        const target = localFile(resolveLocal(file, spec));
        const targetRoom = roomOf(target);
        if (!targetRoom || targetRoom === room) continue;
        if (!MAY_IMPORT[room].includes(targetRoom))
          violations.push(`${rel} → ${target} (${room} may not import ${targetRoom})`);
        else if (!ENTRIES.has(target))
          violations.push(`${rel} → ${target} (not ${targetRoom}'s public entry)`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("warp's library entry does not pull in the MCP SDK, zod, ink, react or commander", () => {
    const banned = /^(@modelcontextprotocol\/sdk|zod|ink|react|commander)(\/|$)/;
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (rel: string, chain: string[]) => {
      if (seen.has(rel)) return;
      seen.add(rel);
      for (const spec of importsOf(join(ROOT, rel))) {
        if (spec.startsWith(".")) visit(localFile(resolveLocal(join(ROOT, rel), spec)), [...chain, rel]);
        else if (banned.test(spec)) offending.push(`${[...chain, rel].join(" → ")} imports ${spec}`);
      }
    };
    visit("warp/src/index.ts", []);
    expect(offending).toEqual([]);
  });
});
