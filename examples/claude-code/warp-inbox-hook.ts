/**
 * A Claude Code hook that tells the agent about unread direct messages and claimable work, so it
 * learns of them without polling. It only counts; it never consumes messages.
 *
 * Wire it in .claude/settings.json (see examples/claude-code/README.md):
 *   { "hooks": { "UserPromptSubmit": [{ "hooks": [{ "type": "command",
 *       "command": "node /path/to/loom/dist/examples/claude-code/warp-inbox-hook.js" }] }] } }
 *
 * Environment: NATS_URL, LOOM_PROJECT, and WARP_AGENT_GUID (or WARP_HANDLE: looked up in the registry).
 * Prints nothing when there is nothing to say, and never fails the prompt (exit 0 on any error).
 */
import { hostname } from "node:os";
import { connectWarp, resolveProject } from "../../warp/src/index.js";

async function main(): Promise<string | undefined> {
  const project = resolveProject();
  const warp = await connectWarp({
    project: project.project,
    nats: { timeoutMs: 1_500, name: "warp-inbox-hook" },
  });
  try {
    let guid = process.env.WARP_AGENT_GUID;
    if (!guid && process.env.WARP_HANDLE) {
      const mine = await warp.registry.discover(
        { project: project.project, hostname: hostname(), includeOffline: true },
        { project: project.project, username: "" },
      );
      guid = mine.find((a) => a.handle === process.env.WARP_HANDLE)?.guid;
    }
    if (!guid) return undefined;
    const agent = await warp.registry.get(guid, project.project);
    const unread = await warp.dm.unreadCount(project.project, guid);
    const claimable = agent ? await warp.work.claimableCount(agent) : 0;
    if (unread === 0 && claimable === 0) return undefined;
    return `warp: ${unread} unread direct message(s), ${claimable} claimable work item(s). Use read_direct_messages / claim_work.`;
  } finally {
    await warp.close();
  }
}

main()
  .then((line) => {
    if (line) process.stdout.write(`${line}\n`);
  })
  .catch((err: unknown) => {
    process.stderr.write(`warp-inbox-hook: ${String(err)}\n`);
  })
  .finally(() => process.exit(0));
