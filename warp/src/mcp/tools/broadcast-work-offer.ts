import { z } from "zod";
import { defineTool } from "../tool.js";
import { workLine, workOut } from "./shapes.js";

export const broadcastWorkOfferTool = defineTool({
  name: "broadcast_work_offer",
  toolset: "work",
  title: "Offer work",
  description:
    "Queue a task for any agent with the capability, within a boundary. Repeating an idempotencyKey returns the first item.",
  input: {
    taskId: z.string().min(1).max(200).describe('Your own name for the task, e.g. "bug-456".'),
    description: z.string().min(1).describe("What to do, for the agent that claims it."),
    requiredCapability: z.string().describe('Capability a claimer must have, e.g. "typescript".'),
    priority: z.number().int().min(1).max(10).optional().describe("1 (low) to 10 (urgent); default 5."),
    deadline: z.string().optional().describe("ISO 8601 time after which the task expires."),
    contextData: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Extra structured context for the claimer."),
    boundary: z
      .string()
      .optional()
      .describe('Boundary the work must stay in, e.g. "corporate" (default: the project default).'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe("Dead-letter after this many failed attempts (default 3)."),
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("Submitting the same key again returns the existing item."),
    requiredAgentType: z.string().optional().describe("Only agents of this type may claim it."),
  },
  output: { item: workOut, duplicate: z.boolean() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const warp = await ctx.warp();
    const { item, duplicate } = await warp.work.submit({
      taskId: args.taskId,
      description: args.description,
      capability: args.requiredCapability,
      submittedBy: ctx.session.agent?.guid ?? ctx.session.handle ?? "mcp",
      ...(args.priority !== undefined ? { priority: args.priority } : {}),
      ...(args.deadline ? { deadline: args.deadline } : {}),
      ...(args.contextData ? { contextData: args.contextData } : {}),
      ...(args.boundary ? { boundary: args.boundary } : {}),
      ...(args.maxAttempts ? { maxAttempts: args.maxAttempts } : {}),
      ...(args.idempotencyKey ? { idempotencyKey: args.idempotencyKey } : {}),
      ...(args.requiredAgentType ? { requiredAgentType: args.requiredAgentType } : {}),
    });
    return {
      text: `${duplicate ? "Already queued" : "Queued"}: ${workLine(item)}`,
      data: { item, duplicate },
    };
  },
});
