/** `loomd validate [FILE]`: exit 0, or 1 with positioned errors. For CI and pre-commit hooks. */
import { Command } from "commander";
import { formatConfigError, loadConfigFile } from "../config/index.js";
import { type CliIO, EXIT } from "./io.js";

/** The validate command. */
export function validateCommand(io: CliIO): Command {
  return new Command("validate")
    .description("check loom.yaml: schema, references, durations, secrets (exit 0 valid, 1 invalid)")
    .argument("[file]", "config file", "loom.yaml")
    .option("--json", "print { ok, file, errors[] } as JSON")
    .action(async (file: string, opts: { json?: boolean }) => {
      const r = await loadConfigFile(file, { env: io.env });
      const errors = r.ok ? [] : r.errors;
      if (opts.json) io.out(JSON.stringify({ ok: r.ok, file, hash: r.hash, errors }, null, 2));
      else if (r.ok)
        io.out(
          `${file}: valid (${r.config.targets?.length ?? 0} targets, ${Object.keys(r.config.boundaries ?? {}).length} boundaries, revision ${r.hash.slice(0, 12)})`,
        );
      else for (const e of errors) io.err(formatConfigError(e));
      io.exit(r.ok ? EXIT.ok : EXIT.invalid);
    });
}
