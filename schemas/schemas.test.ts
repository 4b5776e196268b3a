import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, schemaFiles } from "./gen.js";

describe("schemas", () => {
  const files = schemaFiles();

  it("every schema is draft 2020-12 with an $id under loom.dev", () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const s = JSON.parse(readFileSync(join(import.meta.dirname, f), "utf8")) as Record<string, unknown>;
      expect(s.$schema, f).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(s.$id, f).toBe(`https://loom.dev/schemas/${f}`);
    }
  });

  it.each(files)("the generated types for %s are up to date (run `npm run gen:schemas`)", async (f) => {
    const genFile = join(import.meta.dirname, "src", "gen", f.replace(/\.schema\.json$/, ".gen.ts"));
    const committed = readFileSync(genFile, "utf8");
    // The committed file is biome-formatted; compare ignoring whitespace and quote style.
    const norm = (s: string) =>
      s
        .replace(/\s+/g, "")
        .replace(/'/g, '"')
        .replace(/;/g, "")
        .replace(/,([}\]])/g, "$1");
    expect(norm(committed)).toBe(norm(await generate(f)));
  });
});
