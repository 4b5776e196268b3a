/** Spawn the example agent (`dist/examples/agents/echo-agent.js`) as a real process. */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

/** The built example agent. */
export const ECHO_AGENT = resolve(import.meta.dirname, "../../dist/examples/agents/echo-agent.js");

/** A running agent process and the ids it reported completing. */
export interface AgentProcess {
  child: ChildProcess;
  completed: string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Start one echo agent with these environment variables. */
export function spawnEchoAgent(env: Record<string, string>): AgentProcess {
  const child = spawn(process.execPath, [ECHO_AGENT], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const completed: string[] = [];
  let buf = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buf += chunk.toString();
    let nl = buf.indexOf("\n");
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith("{")) completed.push((JSON.parse(line) as { completed: string }).completed);
      nl = buf.indexOf("\n");
    }
  });
  // "close", not "exit": it comes after stdout is drained, so every report line has been read.
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  return { child, completed, exited };
}
