/* Generated from schemas/work-event.schema.json by `npm run gen:schemas`. Do not edit. */

/**
 * One work-item transition, published on loom.<project>.events.work.<id> (stream LOOM_EVENTS).
 */
export interface WorkEvent {
type: "work.transition"
id: string
project: string
/**
 * submit, claim, progress, complete, fail, release, cancel, expire, lease-expired, holder-offline, requeue, dlq-retry, discard
 */
action?: string
from: (string | null)
to: string
agent?: string
attempt?: number
token?: number
at: string
}
