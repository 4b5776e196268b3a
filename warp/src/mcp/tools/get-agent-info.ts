import { z } from "zod";
import { LoomError } from "../../errors.js";
import { canSee, redact } from "../../registry-visibility.js";
import { viewerOf } from "../context.js";
import { defineTool } from "../tool.js";
import { agentOut } from "./shapes.js";

export const getAgentInfoTool = defineTool({
  name: "get_agent_info",
  toolset: "registry",
  title: "Agent details",
  description: "Show one agent by guid, as much as its visibility lets you see.",
  input: { guid: z.string().min(1).describe("The agent's guid (from discover_agents).") },
  output: { agent: agentOut },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const warp = await ctx.warp();
    const viewer = viewerOf(ctx.session, warp.project);
    const rec = await warp.registry.get(args.guid);
    if (!rec || !canSee(rec, viewer)) {
      throw new LoomError("NOT_FOUND", `No agent ${args.guid} that you may see.`, {
        hint: "discover_agents lists the agents visible to you.",
      });
    }
    const agent = redact(rec, viewer);
    return {
      text: `${agent.handle} (${agent.guid}) ${agent.agentType} [${agent.status}] on ${agent.hostname}, last heartbeat ${agent.lastHeartbeat}.`,
      data: { agent },
    };
  },
});
