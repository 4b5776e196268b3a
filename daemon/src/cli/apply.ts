/** `loomd apply [FILE]`: one reconcile, then exit. */
import { Command } from "commander";
import { formatConfigError } from "../config/index.js";
import { reconcileOnce } from "../reconcile/reconcile.js";
import { sourceSuffix } from "../reconcile/status.js";
import { type CliIO, connectFor, EXIT, natsUrlFor } from "./io.js";

/** The apply command. */
export function applyCommand(io: CliIO): Command {
  return new Command("apply")
    .description("reconcile loom.yaml into NATS once, then exit")
    .argument("[file]", "config file", "loom.yaml")
    .option("--nats <url>", "NATS to apply to (default: the file's)")
    .action(async (file: string, opts: { nats?: string }) => {
      const warp = await connectFor(await natsUrlFor(file, opts.nats, io.env), io);
      if (!warp) return;
      try {
        const out = await reconcileOnce(warp.core, file, { env: io.env });
        if (!out.ok) {
          for (const e of out.errors) io.err(formatConfigError(e));
          return io.exit(EXIT.invalid);
        }
        const changed = out.result.actions.filter((a) => a.op !== "noop");
        io.out(
          `Applied ${out.revision.hash.slice(0, 12)}${sourceSuffix(out.revision)}: ${changed.length} change(s)${changed.length ? ` (${changed.map((a) => `${a.op} ${a.key}`).join(", ")})` : ""}.`,
        );
        io.exit(EXIT.ok);
      } finally {
        await warp.close();
      }
    });
}
