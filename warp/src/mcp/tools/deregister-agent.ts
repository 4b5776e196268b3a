import { z } from "zod";
import { defineTool } from "../tool.js";

export const deregisterAgentTool = defineTool({
  name: "deregister_agent",
  toolset: "registry",
  title: "Leave the registry",
  description: "Go offline and stop heartbeats. Your guid and unread messages are kept for when you return.",
  input: {},
  output: { guid: z.string(), status: z.literal("offline") },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(_args, ctx) {
    const me = ctx.requireAgent();
    if (ctx.session.stopPresence) await ctx.session.stopPresence();
    else await (await ctx.warp()).registry.deregister(me.guid);
    delete ctx.session.stopPresence;
    delete ctx.session.agent;
    return {
      text: `${me.handle} (${me.guid}) is offline.`,
      data: { guid: me.guid, status: "offline" as const },
    };
  },
});
