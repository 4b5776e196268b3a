import { z } from "zod";
import { defineTool } from "../tool.js";

export const sendMessageTool = defineTool({
  name: "send_message",
  toolset: "messaging",
  title: "Send to a channel",
  description: "Post a message to a project channel; it is kept in the channel's history for other agents.",
  input: {
    channel: z.string().describe('Channel name, e.g. "roadmap" (see list_channels).'),
    message: z.string().min(1).describe("Message text (up to 1 MiB)."),
  },
  output: { channel: z.string(), seq: z.number() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const warp = await ctx.warp();
    const from = ctx.session.agent?.handle ?? ctx.session.handle ?? "anonymous";
    const seq = await warp.channels.send(args.channel, {
      from,
      body: args.message,
      ...(ctx.session.agent ? { fromGuid: ctx.session.agent.guid } : {}),
    });
    return { text: `Sent to #${args.channel} as ${from} (#${seq}).`, data: { channel: args.channel, seq } };
  },
});
