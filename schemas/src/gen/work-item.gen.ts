/* Generated from schemas/work-item.schema.json by `npm run gen:schemas`. Do not edit. */

export type Status = ("pending" | "in-progress" | "completed" | "failed" | "dead-lettered" | "cancelled" | "expired" | "discarded")

/**
 * A work item (KV bucket loom-work, key <project>.<id>): the one record every submitter and claimer shares.
 */
export interface WorkItem {
id: string
project: string
/**
 * The submitter's own name for the task.
 */
taskId: string
/**
 * What to do.
 */
description: string
/**
 * The capability a claimer must have.
 */
capability: string
/**
 * The boundary a claimer must belong to (a hard filter).
 */
boundary: string
/**
 * 10 is most urgent; default 5.
 */
priority: number
/**
 * After this, the item expires.
 */
deadline?: string
/**
 * Free-form context for the claimer.
 */
contextData?: {

}
requiredAgentType?: string
preferredAgentType?: string
idempotencyKey?: string
submittedBy: string
status: Status
/**
 * Claims that counted.
 */
attempts: number
/**
 * Dead-lettered after this many failed attempts (default 3).
 */
maxAttempts: number
/**
 * Lease length for each claim.
 */
leaseMs: number
/**
 * Fencing token: increases on every claim.
 */
fence: number
lease?: {
/**
 * Holder's agent guid.
 */
agent: string
agentHandle?: string
expiresAt: string
/**
 * Fencing token of this claim; stale tokens are refused.
 */
token: number
}
/**
 * A failed item is claimable again from this time.
 */
retryAt?: string
progress?: {
percent?: number
message?: string
}
result?: {
summary?: string
output?: unknown
artifacts?: string[]
}
errors: {
at: string
message: string
attempt: number
agent?: string
retryable?: boolean
}[]
cancelReason?: string
/**
 * When the item last entered each status.
 */
timestamps: {
[k: string]: string
}
}
