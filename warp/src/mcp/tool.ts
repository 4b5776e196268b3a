/**
 * The contract every MCP tool follows. One file per tool under `tools/`, each exporting a
 * `defineTool(...)`; `tools/index.ts` lists them. The server turns a spec into a registered tool:
 * it validates input with `input`, returns `structuredContent` checked against `output` beside
 * `text`, appends the session's unread counts, and turns a thrown LoomError into an `isError`
 * result whose text starts `Error:` and carries the hint.
 */
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { ToolContext } from "./context.js";

/** Tool groups that `WARP_TOOLSETS` can select. */
export type Toolset = "messaging" | "registry" | "work";

/** What a tool handler returns: text for the model, structured data for programs. */
export interface ToolReply<T> {
  text: string;
  data: T;
}

/** One MCP tool. */
export interface ToolSpec<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  /** The established tool name (`send_message`, `claim_work`, ...). */
  name: string;
  toolset: Toolset;
  title: string;
  /** One or two sentences: what it does and when to use it. Kept short: it is paid for in context. */
  description: string;
  /** Every field `.describe(...)`d. */
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /**
   * The data is checked against `output` at runtime by the SDK (and by the stdio tests); statically it
   * is any object, because records typed as interfaces lack the index signature loose zod objects infer.
   */
  handler: (args: z.infer<z.ZodObject<I>>, ctx: ToolContext) => Promise<ToolReply<object>>;
}

/** Identity helper that keeps the generic types of a tool spec. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  spec: ToolSpec<I, O>,
): ToolSpec<I, O> {
  return spec;
}
