/**
 * Structured logs on stderr only: stdout belongs to protocols (MCP stdio) and to `--json` output.
 * `LOG_LEVEL` (trace|debug|info|warn|error|silent, default info) and `LOG_FORMAT` (json|text,
 * default json) choose the level and the shape.
 */
import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Component name, logged as `name`. */
  name: string;
  /** Level; default `LOG_LEVEL` or `info`. */
  level?: string;
  /** `json` (default) or `text`; default `LOG_FORMAT`. */
  format?: "json" | "text";
  /** Environment to read LOG_LEVEL/LOG_FORMAT from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A pino logger writing synchronously to stderr (fd 2). */
export function createLogger(opts: LoggerOptions): Logger {
  const env = opts.env ?? process.env;
  const level = opts.level ?? env.LOG_LEVEL ?? "info";
  const format = opts.format ?? (env.LOG_FORMAT === "text" ? "text" : "json");
  const dest = pino.destination({ fd: 2, sync: true });
  if (format === "text") {
    return pino(
      {
        name: opts.name,
        level,
        base: undefined,
        timestamp: false,
        formatters: { level: (label) => ({ level: label }) },
        hooks: {
          streamWrite: (line) => {
            const rec = JSON.parse(line) as Record<string, unknown>;
            const { level: lv, name, msg, ...rest } = rec;
            const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
            return `${new Date().toISOString()} ${String(lv).toUpperCase()} ${String(name)}: ${String(msg ?? "")}${extra}\n`;
          },
        },
      },
      dest,
    );
  }
  return pino({ name: opts.name, level }, dest);
}

/** A logger that discards everything (tests, libraries used without logging). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
