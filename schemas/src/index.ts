/**
 * The schemas' public entry: record types generated from the JSON Schemas, and their validators.
 */
import agentSchema from "../agent.schema.json" with { type: "json" };
import channelMessageSchema from "../channel-message.schema.json" with { type: "json" };
import directMessageSchema from "../direct-message.schema.json" with { type: "json" };
import loomSchema from "../loom.schema.json" with { type: "json" };
import workEventSchema from "../work-event.schema.json" with { type: "json" };
import workItemSchema from "../work-item.schema.json" with { type: "json" };
import type { AgentRecord } from "./gen/agent.gen.js";
import type { ChannelMessagePayload } from "./gen/channel-message.gen.js";
import type { DirectMessage } from "./gen/direct-message.gen.js";
import type { LoomConfig } from "./gen/loom.gen.js";
import type { WorkEvent } from "./gen/work-event.gen.js";
import type { WorkItem } from "./gen/work-item.gen.js";
import { compileValidator } from "./validate.js";

export type { AgentRecord } from "./gen/agent.gen.js";
export type { ChannelMessagePayload } from "./gen/channel-message.gen.js";
export type { DirectMessage } from "./gen/direct-message.gen.js";
export type { LoomConfig } from "./gen/loom.gen.js";
export type { WorkEvent } from "./gen/work-event.gen.js";
export type { WorkItem } from "./gen/work-item.gen.js";
export {
  compileValidator,
  formatIssues,
  formatPath,
  type SchemaIssue,
  type Validation,
  type Validator,
} from "./validate.js";

/** Validates an agent record. */
export const validateAgent = compileValidator<AgentRecord>(agentSchema);
/** Validates a channel message payload. */
export const validateChannelMessage = compileValidator<ChannelMessagePayload>(channelMessageSchema);
/** Validates a direct message. */
export const validateDirectMessage = compileValidator<DirectMessage>(directMessageSchema);
/** Validates a work item. */
export const validateWorkItem = compileValidator<WorkItem>(workItemSchema);
/** Validates a work event. */
export const validateWorkEvent = compileValidator<WorkEvent>(workEventSchema);
/** Validates a loom.yaml document (after YAML parsing). */
export const validateLoomConfig = compileValidator<LoomConfig>(loomSchema);
/** The loom.yaml JSON Schema itself (for hints that list known fields). */
export const loomConfigSchema: Record<string, unknown> = loomSchema;
