/** Every warp MCP tool, in the order `tools/list` shows them. */
import type { ToolSpec } from "../tool.js";
import { broadcastWorkOfferTool } from "./broadcast-work-offer.js";
import { cancelWorkTool } from "./cancel-work.js";
import { claimWorkTool } from "./claim-work.js";
import { completeWorkTool } from "./complete-work.js";
import { deregisterAgentTool } from "./deregister-agent.js";
import { discardDeadLetterItemTool } from "./discard-dead-letter-item.js";
import { discoverAgentsTool } from "./discover-agents.js";
import { failWorkTool } from "./fail-work.js";
import { getAgentInfoTool } from "./get-agent-info.js";
import { getMyHandleTool } from "./get-my-handle.js";
import { getWorkTool } from "./get-work.js";
import { listChannelsTool } from "./list-channels.js";
import { listDeadLetterItemsTool } from "./list-dead-letter-items.js";
import { listWorkTool } from "./list-work.js";
import { readDirectMessagesTool } from "./read-direct-messages.js";
import { readMessagesTool } from "./read-messages.js";
import { registerAgentTool } from "./register-agent.js";
import { releaseWorkTool } from "./release-work.js";
import { reportProgressTool } from "./report-progress.js";
import { retryDeadLetterItemTool } from "./retry-dead-letter-item.js";
import { sendDirectMessageTool } from "./send-direct-message.js";
import { sendMessageTool } from "./send-message.js";
import { setHandleTool } from "./set-handle.js";
import { updatePresenceTool } from "./update-presence.js";

// Each spec keeps its own generic types; the server only needs the common shape.
type AnyTool = ToolSpec<never, never>;

/** All tools. */
export const TOOLS: readonly AnyTool[] = [
  setHandleTool,
  getMyHandleTool,
  listChannelsTool,
  sendMessageTool,
  readMessagesTool,
  sendDirectMessageTool,
  readDirectMessagesTool,
  registerAgentTool,
  discoverAgentsTool,
  getAgentInfoTool,
  updatePresenceTool,
  deregisterAgentTool,
  broadcastWorkOfferTool,
  claimWorkTool,
  reportProgressTool,
  completeWorkTool,
  failWorkTool,
  releaseWorkTool,
  getWorkTool,
  listWorkTool,
  cancelWorkTool,
  listDeadLetterItemsTool,
  retryDeadLetterItemTool,
  discardDeadLetterItemTool,
] as unknown as AnyTool[];
