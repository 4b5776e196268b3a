import { LoomError } from "../../errors.js";
import { defineTool } from "../tool.js";
import { workId, workLine, workOut } from "./shapes.js";

export const getWorkTool = defineTool({
  name: "get_work",
  toolset: "work",
  title: "Get a work item",
  description: "Read one work item: status, lease, progress, result and error history.",
  input: { workId },
  output: { item: workOut },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const item = await (await ctx.warp()).work.get(args.workId);
    if (!item)
      throw new LoomError("NOT_FOUND", `No work item ${args.workId}.`, {
        hint: "list_work shows this project's items.",
      });
    const extra = item.lease
      ? `\nheld by ${item.lease.agentHandle ?? item.lease.agent} until ${item.lease.expiresAt}`
      : "";
    return { text: `${workLine(item)}${extra}`, data: { item } };
  },
});
