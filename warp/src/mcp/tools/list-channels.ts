import { z } from "zod";
import { defineTool } from "../tool.js";

export const listChannelsTool = defineTool({
  name: "list_channels",
  toolset: "messaging",
  title: "List channels",
  description: "List this project's channels with their descriptions and message counts.",
  input: {},
  output: {
    project: z.string(),
    channels: z.array(
      z.object({ name: z.string(), description: z.string().optional(), messages: z.number() }),
    ),
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(_args, ctx) {
    const warp = await ctx.warp();
    const channels = (await warp.channels.list()).map((c) => ({
      name: c.name,
      messages: c.messages,
      ...(c.description ? { description: c.description } : {}),
    }));
    const text = channels
      .map((c) => `#${c.name} (${c.messages})${c.description ? ` - ${c.description}` : ""}`)
      .join("\n");
    return { text: `Channels in ${warp.project}:\n${text}`, data: { project: warp.project, channels } };
  },
});
