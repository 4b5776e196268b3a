import { z } from "zod";
import { defineTool } from "../tool.js";

export const readMessagesTool = defineTool({
  name: "read_messages",
  toolset: "messaging",
  title: "Read a channel",
  description: "Read the newest messages of a channel, oldest first.",
  input: {
    channel: z.string().describe('Channel name, e.g. "roadmap".'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe("How many of the newest messages (default 50, max 1000)."),
  },
  output: {
    channel: z.string(),
    messages: z.array(z.object({ seq: z.number(), from: z.string(), body: z.string(), time: z.string() })),
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const warp = await ctx.warp();
    const msgs = await warp.channels.read(
      args.channel,
      args.limit === undefined ? {} : { limit: args.limit },
    );
    const messages = msgs.map((m) => ({ seq: m.seq, from: m.from, body: m.body, time: m.time }));
    const text =
      messages.length === 0
        ? `#${args.channel} is empty.`
        : messages.map((m) => `[${m.time}] ${m.from}: ${m.body}`).join("\n");
    return { text, data: { channel: args.channel, messages } };
  },
});
