import { z } from "zod";
import { defineTool } from "../tool.js";

export const readDirectMessagesTool = defineTool({
  name: "read_direct_messages",
  toolset: "messaging",
  title: "Read your inbox",
  description:
    "Read and remove messages from your inbox; filters leave other messages unread. Also checks whether your sent messages were read.",
  input: {
    limit: z.number().int().min(1).max(100).optional().describe("At most this many (default 10)."),
    messageType: z.string().optional().describe("Only this message type."),
    senderGuid: z.string().optional().describe("Only messages from this sender guid (or handle)."),
    waitMs: z
      .number()
      .int()
      .min(0)
      .max(30_000)
      .optional()
      .describe("If none match, wait up to this long for one (default 0)."),
    sentMessageIds: z
      .array(z.string())
      .max(100)
      .optional()
      .describe("Ids of messages you sent: reports whether each was read."),
  },
  output: {
    messages: z.array(
      z.looseObject({
        id: z.string(),
        from: z.string(),
        fromGuid: z.string(),
        type: z.string(),
        body: z.string(),
        sentAt: z.string(),
      }),
    ),
    sent: z
      .array(
        z.object({ id: z.string(), status: z.enum(["delivered", "read"]), readAt: z.string().optional() }),
      )
      .optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const me = ctx.requireAgent();
    const warp = await ctx.warp();
    const messages = await warp.dm.read(
      { project: me.project, guid: me.guid },
      {
        limit: args.limit ?? 10,
        ...(args.messageType ? { type: args.messageType } : {}),
        ...(args.senderGuid ? { from: args.senderGuid } : {}),
        ...(args.waitMs ? { waitMs: args.waitMs } : {}),
      },
    );
    const sent = args.sentMessageIds
      ? await Promise.all(args.sentMessageIds.map((id) => warp.dm.status(id)))
      : undefined;
    const lines = messages.map((m) => `[${m.sentAt}] ${m.from} (${m.fromGuid}) ${m.type}: ${m.body}`);
    if (sent) lines.push(...sent.map((s) => `sent ${s.id}: ${s.status}${s.readAt ? ` at ${s.readAt}` : ""}`));
    return {
      text: lines.length > 0 ? lines.join("\n") : "No messages.",
      data: { messages, ...(sent ? { sent } : {}) },
    };
  },
});
