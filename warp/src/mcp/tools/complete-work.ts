import { z } from "zod";
import { defineTool } from "../tool.js";
import { leaseToken, workId, workLine, workOut } from "./shapes.js";

export const completeWorkTool = defineTool({
  name: "complete_work",
  toolset: "work",
  title: "Complete work",
  description: "Finish work you hold with a result.",
  input: {
    workId,
    summary: z.string().describe("What you did, in a sentence or two."),
    output: z.unknown().optional().describe("Structured output for the submitter."),
    artifacts: z.array(z.string()).optional().describe("Paths, URLs or commit ids you produced."),
    leaseToken,
  },
  output: { item: workOut },
  annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const result = {
      summary: args.summary,
      ...(args.output !== undefined ? { output: args.output } : {}),
      ...(args.artifacts ? { artifacts: args.artifacts } : {}),
    };
    const item = await (await ctx.warp()).work.complete(me.guid, args.workId, result, args.leaseToken);
    return { text: `Completed ${workLine(item)}`, data: { item } };
  },
});
