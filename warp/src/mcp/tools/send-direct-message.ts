import { z } from "zod";
import { LoomError } from "../../errors.js";
import { defineTool } from "../tool.js";

export const sendDirectMessageTool = defineTool({
  name: "send_direct_message",
  toolset: "messaging",
  title: "Send a direct message",
  description: "Send a message to one agent's inbox; it waits there if the agent is offline.",
  input: {
    recipientGuid: z.string().min(1).describe("The recipient's guid (from discover_agents)."),
    message: z.string().min(1).describe("Message text (up to 1 MiB)."),
    messageType: z
      .string()
      .max(64)
      .optional()
      .describe('A type the recipient can filter on, e.g. "question", "handoff" (default "text").'),
    metadata: z.record(z.string(), z.unknown()).optional().describe("Extra structured data."),
  },
  output: { id: z.string(), status: z.enum(["delivered", "read"]), recipientGuid: z.string() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const warp = await ctx.warp();
    const to = await warp.registry.get(args.recipientGuid);
    if (!to) {
      throw new LoomError("NOT_FOUND", `No agent ${args.recipientGuid}.`, {
        hint: "Use a guid from discover_agents.",
      });
    }
    const sent = await warp.dm.send({
      from: { guid: me.guid, handle: me.handle, project: me.project },
      toGuid: to.guid,
      toProject: to.project,
      body: args.message,
      ...(args.messageType ? { type: args.messageType } : {}),
      ...(args.metadata ? { metadata: args.metadata } : {}),
    });
    const when = to.status === "offline" ? " (offline: it will be there when they return)" : "";
    return {
      text: `Delivered ${sent.id} to ${to.handle}${when}.`,
      data: { ...sent, recipientGuid: to.guid },
    };
  },
});
