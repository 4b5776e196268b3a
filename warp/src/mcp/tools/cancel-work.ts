import { z } from "zod";
import { defineTool } from "../tool.js";
import { workId, workLine, workOut } from "./shapes.js";

export const cancelWorkTool = defineTool({
  name: "cancel_work",
  toolset: "work",
  title: "Cancel work",
  description:
    "Cancel a pending or in-progress item; its holder learns on its next progress or completion call.",
  input: { workId, reason: z.string().max(500).optional().describe("Why, for the holder and the record.") },
  output: { item: workOut },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const item = await (await ctx.warp()).work.cancel(args.workId, args.reason);
    return { text: `Cancelled ${workLine(item)}`, data: { item } };
  },
});
