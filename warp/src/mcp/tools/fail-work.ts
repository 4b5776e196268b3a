import { z } from "zod";
import { defineTool } from "../tool.js";
import { leaseToken, workId, workLine, workOut } from "./shapes.js";

export const failWorkTool = defineTool({
  name: "fail_work",
  toolset: "work",
  title: "Fail work",
  description:
    "Give up on work you hold with an error. Retryable failures are retried with backoff; others go to the dead-letter queue.",
  input: {
    workId,
    error: z.string().min(1).describe("What went wrong."),
    retryable: z.boolean().optional().describe("Could another attempt succeed? (default true)"),
    leaseToken,
  },
  output: { item: workOut },
  annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const item = await (await ctx.warp()).work.fail(me.guid, args.workId, args.error, {
      ...(args.retryable !== undefined ? { retryable: args.retryable } : {}),
      ...(args.leaseToken !== undefined ? { token: args.leaseToken } : {}),
    });
    const next = item.status === "dead-lettered" ? "dead-lettered" : `will retry after ${item.retryAt}`;
    return { text: `Failed (${next}): ${workLine(item)}`, data: { item } };
  },
});
