import { z } from "zod";
import { defineTool } from "../tool.js";
import { workLine, workOut } from "./shapes.js";

export const discardDeadLetterItemTool = defineTool({
  name: "discard_dead_letter_item",
  toolset: "work",
  title: "Discard a dead letter",
  description: "Discard a dead-lettered item for good (its record stays, marked discarded).",
  input: { itemId: z.string().min(1).describe("The dead-lettered item's id.") },
  output: { item: workOut },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const item = await (await ctx.warp()).work.discardDeadLetter(args.itemId);
    return { text: `Discarded ${workLine(item)}`, data: { item } };
  },
});
