import { z } from "zod";
import { defineTool } from "../tool.js";

export const setHandleTool = defineTool({
  name: "set_handle",
  toolset: "messaging",
  title: "Set handle",
  description: "Choose the name other agents see on your messages (before or after register_agent).",
  input: {
    handle: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,63}$/,
        "lower-case letters, digits and dashes, starting with a letter or digit",
      )
      .describe('Your handle, e.g. "reviewer-1".'),
  },
  output: { handle: z.string(), guid: z.string().optional() },
  annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    ctx.session.handle = args.handle;
    const agent = ctx.session.agent;
    if (agent && agent.handle !== args.handle) {
      const warp = await ctx.warp();
      // Re-register under the new handle; the registry keeps the record's other fields.
      await ctx.session.stopPresence?.();
      const rec = await warp.registry.register({ ...agent, handle: args.handle });
      ctx.session.agent = rec;
      ctx.session.stopPresence = warp.registry.startPresence(rec.guid).stop;
      return {
        text: `Handle set to ${args.handle} (re-registered as ${rec.guid}).`,
        data: { handle: args.handle, guid: rec.guid },
      };
    }
    return {
      text: `Handle set to ${args.handle}.`,
      data: { handle: args.handle, ...(agent ? { guid: agent.guid } : {}) },
    };
  },
});
