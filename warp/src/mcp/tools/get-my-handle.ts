import { z } from "zod";
import { defineTool } from "../tool.js";

export const getMyHandleTool = defineTool({
  name: "get_my_handle",
  toolset: "messaging",
  title: "Who am I",
  description: "Show your handle, and your agent guid and project once registered.",
  input: {},
  output: {
    handle: z.string().optional(),
    guid: z.string().optional(),
    project: z.string().optional(),
    registered: z.boolean(),
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(_args, ctx) {
    const a = ctx.session.agent;
    const handle = a?.handle ?? ctx.session.handle;
    const text = a
      ? `You are ${a.handle} (${a.guid}) in ${a.project}.`
      : handle
        ? `Your handle is ${handle}; not registered yet.`
        : "No handle set; call set_handle or register_agent.";
    return {
      text,
      data: {
        registered: a !== undefined,
        ...(handle ? { handle } : {}),
        ...(a ? { guid: a.guid, project: a.project } : {}),
      },
    };
  },
});
