/* Generated from schemas/channel-message.schema.json by `npm run gen:schemas`. Do not edit. */

/**
 * The JSON payload of a channel message (sender in headers Loom-From, Loom-From-Guid).
 */
export interface ChannelMessagePayload {
body: string
metadata?: {

}
}
