/** `loomd status`: conditions, revisions, owned keys, overrides, leader. */
import { Command } from "commander";
import { readOverrides } from "../reconcile/overrides.js";
import { readStatus } from "../reconcile/status.js";
import { type CliIO, connectFor, EXIT, natsUrlFor } from "./io.js";

/** The status command. */
export function statusCommand(io: CliIO): Command {
  return new Command("status")
    .description("show the reconcile status, owned keys, overrides and leader")
    .option("-f, --file <file>", "config file (to find NATS)", "loom.yaml")
    .option("--nats <url>", "NATS to read (default: the file's)")
    .option("--json", "print the status record as JSON")
    .action(async (opts: { file: string; nats?: string; json?: boolean }) => {
      const warp = await connectFor(await natsUrlFor(opts.file, opts.nats, io.env), io);
      if (!warp) return;
      try {
        const status = await readStatus(warp.core);
        const overrides = await readOverrides(warp.core);
        if (opts.json) {
          io.out(JSON.stringify({ ...(status ?? { conditions: [] }), overrides }, null, 2));
        } else if (!status) {
          io.out("No status yet: loomd has not reconciled against this NATS.");
        } else {
          const ready = status.conditions.find((c) => c.type === "Ready");
          const stalled = status.conditions.find((c) => c.type === "Stalled");
          io.out(
            `${stalled?.status ? "Stalled" : ready?.status ? "Ready" : "NotReady"} (${ready?.reason}): ${ready?.message}`,
          );
          const rev = status.lastAppliedRevision;
          if (rev)
            io.out(
              `applied:  ${rev.hash.slice(0, 12)}${rev.gitCommit ? ` git ${rev.gitCommit.slice(0, 12)}${rev.dirty ? " (uncommitted changes)" : ""}` : ""}${rev.repo ? ` from ${rev.file} on ${rev.branch} of ${rev.repo}` : ""}`,
            );
          if (status.lastError && stalled?.status)
            io.out(
              `error:    ${status.lastError.file}:${status.lastError.line}:${status.lastError.col}: ${status.lastError.path}: ${status.lastError.message}`,
            );
          if (status.leader) io.out(`leader:   ${status.leader.id} since ${status.leader.since}`);
          io.out(
            `owns:     ${Object.keys(status.inventory).length} keys (${Object.keys(status.inventory).join(", ")})`,
          );
          io.out(`overrides: ${Object.keys(overrides).length ? Object.keys(overrides).join(", ") : "none"}`);
        }
        io.exit(EXIT.ok);
      } finally {
        await warp.close();
      }
    });
}
