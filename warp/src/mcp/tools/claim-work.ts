import { z } from "zod";
import { defineTool } from "../tool.js";
import { workLine, workOut } from "./shapes.js";

export const claimWorkTool = defineTool({
  name: "claim_work",
  toolset: "work",
  title: "Claim work",
  description:
    "Take the most urgent queued task you are eligible for (your capabilities and boundaries), under a lease.",
  input: {
    capability: z.string().optional().describe("Only this capability (default: any of yours)."),
    timeout: z
      .number()
      .int()
      .min(0)
      .max(30_000)
      .optional()
      .describe("Wait up to this many ms for work (default 0: return at once)."),
  },
  output: {
    item: workOut.nullable(),
    leaseToken: z.number().optional(),
    leaseExpiresAt: z.string().optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const warp = await ctx.warp();
    const item = await warp.work.claim(me, {
      ...(args.capability ? { capability: args.capability } : {}),
      timeoutMs: args.timeout ?? 0,
    });
    if (!item?.lease) return { text: "No work available for you right now.", data: { item: null } };
    return {
      text: `Claimed ${workLine(item)}\nLease until ${item.lease.expiresAt} (token ${item.lease.token}); report_progress extends it.`,
      data: { item, leaseToken: item.lease.token, leaseExpiresAt: item.lease.expiresAt },
    };
  },
});
