/**
 * Drive the real `warp` binary through the MCP SDK's client over stdio, as an agent would.
 */
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** The built warp binary. */
export const WARP_BIN = resolve(import.meta.dirname, "../../dist/bundle/warp.mjs");

/** A connected client and its server process. */
export interface WarpClient {
  client: Client;
  /** The server's pid (for SIGKILL tests). */
  pid: number;
  /** Call a tool; returns the result (isError results are returned, not thrown). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Call a tool and return its structured content, failing the test on isError. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/** Spawn `warp` with these environment variables (merged over a minimal environment). */
export async function startWarp(env: Record<string, string>): Promise<WarpClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [WARP_BIN],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "warn", ...env },
    stderr: "pipe",
  });
  const client = new Client({ name: "loom-test", version: "1.0.0" });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    pid: transport.pid ?? -1,
    call,
    async ok<T>(name: string, args: Record<string, unknown> = {}) {
      const r = await call(name, args);
      if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
      return r.structuredContent as T;
    },
    close: () => client.close(),
  };
}

/** The text of a result. */
export function textOf(r: CallToolResult): string {
  return r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}
