/**
 * Regenerate `schemas/src/gen/<name>.ts` (TypeScript types) from every `schemas/<name>.schema.json`.
 * Run with `npm run gen:schemas`; a test checks the generated files are up to date.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, type JSONSchema } from "json-schema-to-typescript";

const dir = new URL(".", import.meta.url).pathname;
const out = join(dir, "src", "gen");

/** Generate the TypeScript source for one schema file. */
export async function generate(file: string): Promise<string> {
  const schema = JSON.parse(readFileSync(join(dir, file), "utf8")) as JSONSchema;
  const name = file.replace(/\.schema\.json$/, "");
  return compile(schema, name, {
    bannerComment: `/* Generated from schemas/${file} by \`npm run gen:schemas\`. Do not edit. */`,
    additionalProperties: false,
    format: false,
    style: { singleQuote: false },
  });
}

/** The schema files, sorted. */
export function schemaFiles(): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".schema.json"))
    .sort();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  mkdirSync(out, { recursive: true });
  for (const file of schemaFiles()) {
    writeFileSync(join(out, file.replace(/\.schema\.json$/, ".gen.ts")), await generate(file));
    console.error(`generated ${file}`);
  }
}
