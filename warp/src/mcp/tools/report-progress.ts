import { z } from "zod";
import { defineTool } from "../tool.js";
import { leaseToken, workId, workOut } from "./shapes.js";

export const reportProgressTool = defineTool({
  name: "report_progress",
  toolset: "work",
  title: "Report progress",
  description:
    "Report progress on work you hold; it extends your lease. Fails if the item was cancelled or given to someone else.",
  input: {
    workId,
    percent: z.number().min(0).max(100).optional().describe("Percent done."),
    message: z.string().max(2000).optional().describe("What you are doing now."),
    leaseToken,
  },
  output: { item: workOut },
  annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const item = await (await ctx.warp()).work.progress(me.guid, args.workId, {
      ...(args.leaseToken !== undefined ? { token: args.leaseToken } : {}),
      ...(args.percent !== undefined ? { percent: args.percent } : {}),
      ...(args.message !== undefined ? { message: args.message } : {}),
    });
    return { text: `Progress noted; lease until ${item.lease?.expiresAt}.`, data: { item } };
  },
});
