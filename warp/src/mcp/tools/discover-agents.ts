import { z } from "zod";
import { viewerOf } from "../context.js";
import { defineTool } from "../tool.js";
import { agentOut } from "./shapes.js";

export const discoverAgentsTool = defineTool({
  name: "discover_agents",
  toolset: "registry",
  title: "Discover agents",
  description:
    "Find agents you may see, newest heartbeat first, filtered by type, capability, boundary, host, status or project.",
  input: {
    agentType: z.string().optional().describe("Only this agent type."),
    capability: z.string().optional().describe("Only agents with this capability."),
    boundary: z.string().optional().describe("Only agents in this boundary."),
    hostname: z.string().optional().describe("Only agents on this host."),
    status: z
      .enum(["online", "busy", "draining", "offline"])
      .optional()
      .describe("Only agents with this status."),
    projectId: z
      .string()
      .optional()
      .describe("Only this project (default: every project whose agents you may see)."),
    includeOffline: z.boolean().optional().describe("Include offline agents (default false)."),
    limit: z.number().int().min(1).max(1000).optional().describe("At most this many (default 100)."),
  },
  output: { agents: z.array(agentOut), count: z.number() },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const warp = await ctx.warp();
    const viewer = viewerOf(ctx.session, warp.project);
    const { projectId, limit, ...rest } = args;
    const agents = await warp.registry.discover(
      { ...rest, ...(projectId ? { project: projectId } : {}), limit: limit ?? 100 },
      viewer,
    );
    const text =
      agents.length === 0
        ? "No agents match."
        : agents
            .map(
              (a) =>
                `${a.handle} (${a.guid}) ${a.agentType} [${a.status}] caps: ${a.capabilities.join(",")} boundaries: ${a.boundaries.join(",")}`,
            )
            .join("\n");
    return { text, data: { agents, count: agents.length } };
  },
});
