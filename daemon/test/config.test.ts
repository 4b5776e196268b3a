import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfigFile, loadConfigText } from "../src/config/index.js";

const ROOT = join(import.meta.dirname, "../..");
const EXAMPLES = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => join("examples", f));
const ENV = {
  ANTHROPIC_API_KEY: "x",
  NATS_TOKEN: "x",
  GH_TOKEN: "x",
  GITHUB_TOKEN: "x",
  NATS_PASS: "x",
  SCHEDULER_HMAC: "x",
};

const BASE = `version: 1
project: demo
boundaries:
  personal: {}
targets:
  - name: echo
    agentType: script
    capabilities: [echo]
    boundaries: [personal]
    mechanism: local
    local: { command: node }
`;

describe("loom.yaml loader", () => {
  it.each(["loom.yaml", ...EXAMPLES])("%s is valid", async (f) => {
    const r = await loadConfigFile(join(ROOT, f), { env: ENV, exists: () => true });
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it("has at least five examples", () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
  });

  const bad: [string, string, { line: number; col: number; path: string; message: RegExp; hint?: RegExp }][] =
    [
      [
        "unknown field",
        BASE.replace("agentType: script", "agentTyp: script"),
        { line: 7, col: 5, path: "targets[0].agentTyp", message: /not a known field/, hint: /spelling/ },
      ],
      [
        "wrong type",
        BASE.replace("local: { command: node }", "local: { command: node }\n    maxInstances: lots"),
        { line: 12, col: 5, path: "targets[0].maxInstances", message: /integer/ },
      ],
      [
        "missing required",
        BASE.replace("    agentType: script\n", ""),
        { line: 6, col: 5, path: "targets[0].agentType", message: /required/ },
      ],
      [
        "bad duration",
        BASE.replace("local: { command: node }", "local: { command: node }\n    idle: { timeout: soon }"),
        { line: 12, col: 13, path: "targets[0].idle.timeout", message: /pattern|duration/, hint: /30s/ },
      ],
      [
        "unknown boundary",
        BASE.replace("boundaries: [personal]", "boundaries: [corporate]"),
        {
          line: 9,
          col: 18,
          path: "targets[0].boundaries[0]",
          message: /"corporate" is not declared/,
          hint: /personal/,
        },
      ],
      [
        "duplicate target",
        `${BASE}  - name: echo\n    agentType: script\n    capabilities: [echo]\n    boundaries: [personal]\n    mechanism: local\n    local: { command: node }\n`,
        { line: 12, col: 5, path: "targets[1].name", message: /already used/ },
      ],
      [
        "mechanism block mismatch",
        BASE.replace("mechanism: local", "mechanism: ssh"),
        { line: 10, col: 5, path: "targets[0].mechanism", message: /no ssh: block/ },
      ],
      [
        "missing env var",
        BASE.replace(
          "local: { command: node }",
          'local: { command: node, env: { KEY: "${env:LOOM_TEST_NOPE}" } }',
        ),
        {
          line: 11,
          col: 36,
          path: "targets[0].local.env.KEY",
          message: /LOOM_TEST_NOPE is not set/,
          hint: /Set LOOM_TEST_NOPE/,
        },
      ],
      [
        "yaml syntax",
        BASE.replace("project: demo", "project: [demo"),
        { line: 3, col: 1, path: "(yaml)", message: /must be sufficiently indented and end with a \]/ },
      ],
    ];

  it.each(bad)("reports %s with file:line:col, path, message and hint", (_name, text, want) => {
    const r = loadConfigText(text, "loom.yaml", { env: {} });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.path === want.path) ?? r.errors[0]!;
    expect({ file: e.file, line: e.line, col: e.col, path: e.path }).toEqual({
      file: "loom.yaml",
      line: want.line,
      col: want.col,
      path: want.path,
    });
    expect(e.message).toMatch(want.message);
    if (want.hint) expect(e.hint).toMatch(want.hint);
  });

  it("keeps secret references unresolved in the loaded config", () => {
    const r = loadConfigText(
      BASE.replace("local: { command: node }", 'local: { command: node, env: { KEY: "${env:SECRET}" } }'),
      "loom.yaml",
      { env: { SECRET: "hunter2" } },
    );
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r.ok ? r.config : {})).not.toContain("hunter2");
  });

  it("never throws and always positions its errors, for random documents and mutations of the examples (property)", () => {
    const texts = ["loom.yaml", ...EXAMPLES].map((f) => readFileSync(join(ROOT, f), "utf8"));
    const mutate = fc.tuple(
      fc.constantFrom(...texts),
      fc.nat(),
      fc.nat(),
      fc.string({ maxLength: 20 }),
      fc.constantFrom("delete", "insert", "replace"),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          mutate.map(([t, a, b, s, op]) => {
            const i = a % (t.length + 1);
            const j = Math.min(t.length, i + (b % 40));
            return op === "delete"
              ? t.slice(0, i) + t.slice(j)
              : op === "insert"
                ? t.slice(0, i) + s + t.slice(i)
                : t.slice(0, i) + s + t.slice(j);
          }),
        ),
        (text) => {
          const r = loadConfigText(text, "loom.yaml", { env: ENV, exists: () => true });
          if (!r.ok) {
            expect(r.errors.length).toBeGreaterThan(0);
            for (const e of r.errors) {
              expect(e.line).toBeGreaterThan(0);
              expect(e.col).toBeGreaterThan(0);
              expect(e.message.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
