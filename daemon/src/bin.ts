#!/usr/bin/env node
/** `loomd`: the declarative Loom daemon and its one-shot commands. */
import { Command } from "commander";
import { isLoomError } from "../../warp/src/index.js";
import { applyCommand } from "./cli/apply.js";
import { EXIT, processIO } from "./cli/io.js";
import { overrideCommand } from "./cli/override.js";
import { planCommand } from "./cli/plan.js";
import { runCommand } from "./cli/run.js";
import { statusCommand } from "./cli/status.js";
import { validateCommand } from "./cli/validate.js";

const program = new Command("loomd")
  .description("Loom's declarative daemon: makes NATS match loom.yaml, and keeps it there.")
  .version("0.1.0")
  .addCommand(runCommand(processIO), { isDefault: true })
  .addCommand(validateCommand(processIO))
  .addCommand(planCommand(processIO))
  .addCommand(applyCommand(processIO))
  .addCommand(statusCommand(processIO))
  .addCommand(overrideCommand(processIO))
  .addHelpText(
    "after",
    "\nExit codes: 0 ok, 1 invalid config, 2 usage error, 3 NATS unreachable.\nLogs go to stderr (LOG_LEVEL, LOG_FORMAT=text|json).",
  );
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
});

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`loomd: ${isLoomError(err) ? err.describe() : String(err)}\n`);
  process.exit(
    isLoomError(err, "NATS_UNREACHABLE")
      ? EXIT.natsUnreachable
      : isLoomError(err, "CONFIG_INVALID")
        ? EXIT.invalid
        : 1,
  );
});
