/** `loomd run [FILE]` (the default): the daemon. */
import { Command } from "commander";
import { createLogger, isLoomError } from "../../../warp/src/index.js";
import { formatConfigError } from "../config/index.js";
import { startDaemon } from "../daemon.js";
import { type CliIO, EXIT } from "./io.js";

/** The run command. */
export function runCommand(io: CliIO): Command {
  return new Command("run")
    .description("run the daemon: reconcile on start, on every save, on SIGHUP and on the resync interval")
    .argument("[file]", "config file", "loom.yaml")
    .option("--nats <url>", "use this NATS instead of the file's nats setting")
    .addHelpText(
      "after",
      `
With source.git in the file, loomd follows that branch instead: it fetches it (on start, every
source.git.interval, on SIGHUP and on resync) and reconciles loom.yaml as committed there.
Several loomd processes on one NATS elect a leader; SIGTERM finishes the step in flight and resigns.`,
    )
    .action(async (file: string, opts: { nats?: string }) => {
      const log = createLogger({ name: "loomd", env: io.env });
      let daemon: Awaited<ReturnType<typeof startDaemon>>;
      try {
        daemon = await startDaemon({ file, log, env: io.env, ...(opts.nats ? { natsUrl: opts.nats } : {}) });
      } catch (err) {
        if (isLoomError(err)) {
          io.err(`loomd: ${err.describe()}`);
          const errors = (err.details?.errors ?? []) as Parameters<typeof formatConfigError>[0][];
          for (const e of errors) io.err(formatConfigError(e));
          io.exit(err.code === "CONFIG_INVALID" ? EXIT.invalid : EXIT.natsUnreachable);
          return;
        }
        throw err;
      }
      io.err(`loomd: running on ${file}; NATS ${daemon.natsUrl}. Agents: NATS_URL=${daemon.natsUrl}`);
      process.on("SIGHUP", () => void daemon.reconcileNow());
      const stop = async (sig: string) => {
        log.info({ sig }, "stopping");
        await daemon.stop();
        process.exit(EXIT.ok);
      };
      process.once("SIGTERM", () => void stop("SIGTERM"));
      process.once("SIGINT", () => void stop("SIGINT"));
    });
}
