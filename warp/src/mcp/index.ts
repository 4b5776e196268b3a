/** The warp MCP server, for embedding it in another process or test. */
export type { Session, ToolContext } from "./context.js";
export { type HttpOptions, requestAllowed, serveHttp } from "./http.js";
export { errorResult, errorText, type InboxCounts, inboxLine, okResult } from "./result.js";
export { createWarpServer, WARP_VERSION, type WarpServerOptions } from "./server.js";
export { createSession, type ServerSession, type SessionOptions } from "./session.js";
export { defineTool, type ToolSpec, type Toolset } from "./tool.js";
export { TOOLS } from "./tools/index.js";
export { ALL_TOOLSETS, parseToolsets } from "./toolsets.js";
