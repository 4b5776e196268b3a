/** zod pieces shared by tool input and output schemas. */
import { z } from "zod";

/** An agent as shown to a viewer (fields it may not see are absent). */
export const agentOut = z.looseObject({
  guid: z.string(),
  handle: z.string(),
  agentType: z.string(),
  capabilities: z.array(z.string()),
  boundaries: z.array(z.string()),
  status: z.string(),
});

/** A work item (the record). */
export const workOut = z.looseObject({
  id: z.string(),
  taskId: z.string(),
  description: z.string(),
  capability: z.string(),
  boundary: z.string(),
  priority: z.number(),
  status: z.string(),
  attempts: z.number(),
  maxAttempts: z.number(),
});

/** Work item id input. */
export const workId = z
  .string()
  .min(1)
  .describe("The work item id (from broadcast_work_offer, claim_work or list_work).");

/** Optional fencing token input. */
export const leaseToken = z
  .number()
  .int()
  .optional()
  .describe("The leaseToken claim_work returned. Defaults to your current lease; a stale token is refused.");

/** Short one-line summary of a work item for text output. */
export function workLine(i: {
  id: string;
  status: string;
  priority: number;
  capability: string;
  boundary: string;
  description: string;
}): string {
  const d = i.description.length > 80 ? `${i.description.slice(0, 77)}...` : i.description;
  return `${i.id} [${i.status}] p${i.priority} ${i.boundary}/${i.capability}: ${d}`;
}
