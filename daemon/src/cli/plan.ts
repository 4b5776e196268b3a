/** `loomd plan [FILE]`: what an apply would change in NATS, key by key, without changing anything. */
import { Command } from "commander";
import { formatConfigError } from "../config/index.js";
import { loadSourcedConfig } from "../config-source.js";
import { observeSpec } from "../reconcile/apply.js";
import { desiredState } from "../reconcile/desired.js";
import { describeAction, hasChanges, plan } from "../reconcile/plan.js";
import { readStatus } from "../reconcile/status.js";
import { type CliIO, connectFor, EXIT, natsUrlFor } from "./io.js";

/** The plan command. */
export function planCommand(io: CliIO): Command {
  return new Command("plan")
    .description("show what applying loom.yaml would change in NATS (changes nothing)")
    .argument("[file]", "config file", "loom.yaml")
    .option("--nats <url>", "NATS to compare against (default: the file's)")
    .option("--json", "print the actions as JSON")
    .action(async (file: string, opts: { nats?: string; json?: boolean }) => {
      const loaded = await loadSourcedConfig(file, { env: io.env });
      if (!loaded.ok) {
        for (const e of loaded.errors) io.err(formatConfigError(e));
        return io.exit(EXIT.invalid);
      }
      const warp = await connectFor(await natsUrlFor(file, opts.nats, io.env), io);
      if (!warp) return;
      try {
        const status = await readStatus(warp.core);
        const actions = plan(
          desiredState(loaded.config),
          await observeSpec(warp.core),
          new Map(Object.entries(status?.inventory ?? {})),
        );
        const r = loaded.revision;
        if (opts.json) {
          io.out(
            JSON.stringify(
              { revision: loaded.hash, source: r, changes: hasChanges(actions), actions },
              null,
              2,
            ),
          );
          return io.exit(EXIT.ok);
        }
        if (r.repo)
          io.out(`Source: ${r.file} at commit ${r.gitCommit?.slice(0, 12)} of ${r.branch} in ${r.repo}`);
        if (!hasChanges(actions)) io.out("No changes: NATS matches loom.yaml.");
        else {
          for (const a of actions) for (const line of describeAction(a)) io.out(line);
          const n = (op: string) => actions.filter((a) => a.op === op).length;
          io.out(`\nPlan: ${n("create")} to create, ${n("update")} to update, ${n("delete")} to delete.`);
        }
        io.exit(EXIT.ok);
      } finally {
        await warp.close();
      }
    });
}
