import { z } from "zod";
import { defineTool } from "../tool.js";
import { agentOut } from "./shapes.js";

export const updatePresenceTool = defineTool({
  name: "update_presence",
  toolset: "registry",
  title: "Update presence",
  description: "Set your status (online, busy, draining) and current task count.",
  input: {
    status: z
      .enum(["online", "busy", "draining", "offline"])
      .optional()
      .describe("Your status; offline stops your heartbeat."),
    currentTaskCount: z.number().int().min(0).optional().describe("How many tasks you are working on."),
  },
  output: { agent: agentOut },
  annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const warp = await ctx.warp();
    if (args.status === "offline") await ctx.session.stopPresence?.();
    const rec = await warp.registry.updatePresence(me.guid, args);
    ctx.session.agent = rec;
    return { text: `You are ${rec.status} with ${rec.currentTaskCount} task(s).`, data: { agent: rec } };
  },
});
