import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { valueHash } from "../src/reconcile/desired.js";
import { describeAction, plan } from "../src/reconcile/plan.js";

interface Case {
  name: string;
  desired: Record<string, string>;
  observed: Record<string, string>;
  owned: Record<string, string>;
  expect: string[];
}

const cases = parse(readFileSync(join(import.meta.dirname, "fixtures/plan-cases.yaml"), "utf8")) as Case[];

describe("plan (table from fixtures/plan-cases.yaml)", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const observed = new Map(
      Object.entries(c.observed).map(([k, v], i) => [k, { value: v, revision: i + 1 }] as const),
    );
    const inventory = new Map(Object.entries(c.owned).map(([k, v]) => [k, valueHash(v)] as const));
    const got = plan(new Map(Object.entries(c.desired)), observed, inventory).map(
      (a) => `${a.op} ${a.key}${a.op === "update" && a.drift ? " drift" : ""}`,
    );
    expect(got).toEqual(c.expect);
  });

  it("describes an update field by field", () => {
    const [a] = plan(
      new Map([["targets.a", '{"max":2,"name":"a"}']]),
      new Map([["targets.a", { value: '{"max":1,"name":"a"}', revision: 3 }]]),
      new Map(),
    );
    expect(describeAction(a!)).toEqual(["~ targets.a", "    - max: 1", "    + max: 2"]);
  });
});
