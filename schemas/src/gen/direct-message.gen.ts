/* Generated from schemas/direct-message.schema.json by `npm run gen:schemas`. Do not edit. */

/**
 * A direct message as read from an inbox (stream LOOM_DM).
 */
export interface DirectMessage {
id: string
/**
 * Sender handle.
 */
from: string
fromGuid: string
fromProject?: string
/**
 * Recipient guid.
 */
to: string
/**
 * Message type, e.g. text, question, handoff.
 */
type: string
body: string
metadata?: {

}
sentAt: string
}
