import { z } from "zod";
import { defineTool } from "../tool.js";
import { workLine, workOut } from "./shapes.js";

export const retryDeadLetterItemTool = defineTool({
  name: "retry_dead_letter_item",
  toolset: "work",
  title: "Retry a dead letter",
  description: "Put a dead-lettered item back in the queue.",
  input: {
    itemId: z.string().min(1).describe("The dead-lettered item's id."),
    resetAttempts: z
      .boolean()
      .optional()
      .describe("Start its attempt count from zero (default true); false allows one more attempt."),
  },
  output: { item: workOut },
  annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const item = await (await ctx.warp()).work.retryDeadLetter(args.itemId, {
      resetAttempts: args.resetAttempts ?? true,
    });
    return { text: `Requeued ${workLine(item)}`, data: { item } };
  },
});
