import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Claimer, createWorkPipeline } from "../src/work/pipeline.js";
import { eligible } from "../src/work/route.js";
import { uniqueProject, useNats } from "./helpers.js";

const BOUNDARIES = ["corporate", "personal", "lab"];
const CAPS = ["ts", "py", "go"];

describe("routing property (real pipeline)", () => {
  const env = useNats();

  it("never delivers an item outside the agent's boundary or without its capability", async () => {
    const item = fc.record({
      boundary: fc.constantFrom(...BOUNDARIES),
      capability: fc.constantFrom(...CAPS),
      priority: fc.integer({ min: 1, max: 10 }),
    });
    const agent = fc.record({
      boundaries: fc.subarray(BOUNDARIES, { minLength: 1 }),
      capabilities: fc.subarray(CAPS, { minLength: 1 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { minLength: 1, maxLength: 12 }),
        fc.array(agent, { minLength: 1, maxLength: 4 }),
        async (items, agents) => {
          const core = await env.core(uniqueProject("route"));
          const wp = createWorkPipeline(core);
          for (const i of items) await wp.submit({ description: "x", ...i });
          const claimers: Claimer[] = agents.map((a, k) => ({ guid: `a${k}`, agentType: "script", ...a }));
          let claimed = 0;
          for (let round = 0; round < items.length; round++) {
            for (const a of claimers) {
              const got = await wp.claim(a);
              if (!got) continue;
              claimed++;
              expect(a.boundaries).toContain(got.boundary);
              expect(a.capabilities).toContain(got.capability);
              await wp.complete(a.guid, got.id, { summary: "ok" });
            }
          }
          // Everything some agent was eligible for was delivered; nothing else was.
          const reachable = items.filter((i) => claimers.some((a) => eligible(i, a))).length;
          expect(claimed).toBe(reachable);
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);
});
