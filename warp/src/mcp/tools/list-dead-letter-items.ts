import { z } from "zod";
import { defineTool } from "../tool.js";
import { workOut } from "./shapes.js";

export const listDeadLetterItemsTool = defineTool({
  name: "list_dead_letter_items",
  toolset: "work",
  title: "List dead letters",
  description: "List work that ran out of attempts or failed fatally, with its error history.",
  input: {
    capability: z.string().optional().describe("Only this capability."),
    boundary: z.string().optional().describe("Only this boundary."),
    limit: z.number().int().min(1).max(100).optional().describe("At most this many (default 20)."),
  },
  output: { items: z.array(workOut), count: z.number() },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const items = (
      await (
        await ctx.warp()
      ).work.deadLetters({
        ...(args.capability ? { capability: args.capability } : {}),
        ...(args.boundary ? { boundary: args.boundary } : {}),
      })
    ).slice(0, args.limit ?? 20);
    const text =
      items.length === 0
        ? "The dead-letter queue is empty."
        : items
            .map(
              (i) =>
                `${i.id} ${i.capability} after ${i.attempts} attempt(s): ${i.errors.at(-1)?.message ?? "?"}`,
            )
            .join("\n");
    return { text, data: { items, count: items.length } };
  },
});
