import { z } from "zod";
import { WORK_STATUSES } from "../../work/state-machine.js";
import { defineTool } from "../tool.js";
import { workLine, workOut } from "./shapes.js";

export const listWorkTool = defineTool({
  name: "list_work",
  toolset: "work",
  title: "List work",
  description:
    "List this project's work items, most urgent first, filtered by status, capability, boundary, or yours.",
  input: {
    status: z.enum(WORK_STATUSES).optional().describe("Only this status."),
    capability: z.string().optional().describe("Only this capability."),
    boundary: z.string().optional().describe("Only this boundary."),
    mine: z.boolean().optional().describe("Only items you hold."),
    limit: z.number().int().min(1).max(500).optional().describe("At most this many (default 50)."),
  },
  output: { items: z.array(workOut), count: z.number() },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const holder = args.mine ? ctx.requireAgent().guid : undefined;
    const items = await (await ctx.warp()).work.list({
      limit: args.limit ?? 50,
      ...(args.status ? { status: args.status } : {}),
      ...(args.capability ? { capability: args.capability } : {}),
      ...(args.boundary ? { boundary: args.boundary } : {}),
      ...(holder ? { holder } : {}),
    });
    return {
      text: items.length === 0 ? "No work items match." : items.map(workLine).join("\n"),
      data: { items, count: items.length },
    };
  },
});
