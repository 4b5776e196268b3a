import { defineTool } from "../tool.js";
import { leaseToken, workId, workLine, workOut } from "./shapes.js";

export const releaseWorkTool = defineTool({
  name: "release_work",
  toolset: "work",
  title: "Release work",
  description: "Give work you hold back to the queue unharmed (the attempt does not count).",
  input: { workId, leaseToken },
  output: { item: workOut },
  annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const item = await (await ctx.warp()).work.release(me.guid, args.workId, args.leaseToken);
    return { text: `Released ${workLine(item)}`, data: { item } };
  },
});
