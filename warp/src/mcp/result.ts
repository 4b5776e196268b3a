/**
 * Shaping tool results: text for the model, structured content for programs, the inbox line that
 * tells an agent about unread messages and claimable work without polling, and `Error:` results.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { LoomError } from "../errors.js";

/** What an agent should know after every call. */
export interface InboxCounts {
  unreadDirectMessages: number;
  claimableWork: number;
}

/** The one-line inbox summary appended to every result while registered. */
export function inboxLine(c: InboxCounts): string {
  return `[inbox: ${c.unreadDirectMessages} unread direct message${c.unreadDirectMessages === 1 ? "" : "s"} · ${c.claimableWork} claimable work item${c.claimableWork === 1 ? "" : "s"}]`;
}

/** A successful result. */
export function okResult(text: string, data: Record<string, unknown>, counts?: InboxCounts): CallToolResult {
  const res: CallToolResult = {
    content: [{ type: "text", text: counts ? `${text}\n${inboxLine(counts)}` : text }],
    structuredContent: data,
  };
  if (counts) res._meta = { "loom/inbox": counts };
  return res;
}

/** `Error: <message> <hint>` as an isError result; never a thrown protocol error. */
export function errorText(err: unknown): string {
  if (err instanceof LoomError) return `Error: ${err.message}${err.hint ? ` ${err.hint}` : ""}`;
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith("Error:") ? msg : `Error: ${msg}`;
}

/** An isError result for `err`. */
export function errorResult(err: unknown, counts?: InboxCounts): CallToolResult {
  const res: CallToolResult = { content: [{ type: "text", text: errorText(err) }], isError: true };
  if (err instanceof LoomError)
    res._meta = { "loom/error": { code: err.code, ...(err.hint ? { hint: err.hint } : {}) } };
  if (counts) res.content.push({ type: "text", text: inboxLine(counts) });
  return res;
}
