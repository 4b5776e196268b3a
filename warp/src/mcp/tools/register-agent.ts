import { hostname } from "node:os";
import { z } from "zod";
import { defineTool } from "../tool.js";
import { agentOut } from "./shapes.js";

export const registerAgentTool = defineTool({
  name: "register_agent",
  toolset: "registry",
  title: "Register as an agent",
  description:
    "Join the registry so others can find you, message you and route work to you. Call this first.",
  input: {
    agentType: z
      .string()
      .min(1)
      .max(64)
      .describe('What you are, e.g. "claude-code", "copilot-cli", "reviewer".'),
    handle: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
      .optional()
      .describe("Your handle (default: set_handle's, else derived from agentType)."),
    capabilities: z
      .array(z.string())
      .optional()
      .describe('Work you can take, e.g. ["typescript", "code-review"].'),
    boundaries: z
      .array(z.string())
      .optional()
      .describe('Boundaries you belong to, e.g. ["personal"]; work is only routed within them.'),
    maxConcurrent: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe("How many work items you take at once (default 1)."),
    visibility: z
      .enum(["private", "project-only", "user-only", "public"])
      .optional()
      .describe("Who can discover you (default project-only)."),
  },
  output: { agent: agentOut },
  annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const warp = await ctx.warp();
    const env = process.env;
    const handle =
      args.handle ??
      ctx.session.handle ??
      (args.agentType
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^-+|-+$/g, "") ||
        "agent");
    await ctx.session.stopPresence?.();
    const rec = await warp.registry.register({
      handle,
      agentType: args.agentType,
      hostname: hostname(),
      ...(args.capabilities ? { capabilities: args.capabilities } : {}),
      ...(args.boundaries ? { boundaries: args.boundaries } : {}),
      ...(args.maxConcurrent ? { maxConcurrent: args.maxConcurrent } : {}),
      ...(args.visibility ? { visibility: args.visibility } : {}),
      ...(env.LOOM_LAUNCH_ID ? { launchId: env.LOOM_LAUNCH_ID } : {}),
      ...(env.LOOM_TARGET ? { target: env.LOOM_TARGET } : {}),
      ...(env.NATS_URL ? { natsUrl: env.NATS_URL } : {}),
    });
    ctx.session.handle = rec.handle;
    ctx.session.agent = rec;
    ctx.session.stopPresence = warp.registry.startPresence(rec.guid).stop;
    return {
      text: `Registered ${rec.handle} (${rec.guid}) in ${rec.project} as ${rec.agentType}; capabilities: ${rec.capabilities.join(", ") || "none"}; boundaries: ${rec.boundaries.join(", ") || "none"}.`,
      data: { agent: rec },
    };
  },
});
