/** `loomd override <command> [target]`: runtime overrides kept apart from the spec. */
import { Command } from "commander";
import { type OverrideCommand, setOverride } from "../reconcile/overrides.js";
import { type CliIO, connectFor, EXIT, natsUrlFor } from "./io.js";

const COMMANDS: OverrideCommand[] = ["disable-target", "enable-target", "pause-spinup", "resume-spinup"];

/** The override command. */
export function overrideCommand(io: CliIO): Command {
  return new Command("override")
    .description(`set a runtime override: ${COMMANDS.join(", ")}`)
    .argument("<command>", COMMANDS.join(" | "))
    .argument("[target]", "target name (for disable-target / enable-target)")
    .option("-f, --file <file>", "config file (to find NATS)", "loom.yaml")
    .option("--nats <url>", "NATS to write to (default: the file's)")
    .action(async (cmd: string, target: string | undefined, opts: { file: string; nats?: string }) => {
      if (!COMMANDS.includes(cmd as OverrideCommand)) {
        io.err(`loomd: unknown override "${cmd}". Use one of: ${COMMANDS.join(", ")}.`);
        return io.exit(EXIT.usage);
      }
      const warp = await connectFor(await natsUrlFor(opts.file, opts.nats, io.env), io);
      if (!warp) return;
      try {
        await setOverride(warp.core, cmd as OverrideCommand, target);
        io.out(
          `Override set: ${cmd}${target ? ` ${target}` : ""}. It survives restarts; loomd status shows it.`,
        );
        io.exit(EXIT.ok);
      } finally {
        await warp.close();
      }
    });
}
