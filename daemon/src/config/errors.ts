/** A positioned problem in loom.yaml. */
export interface ConfigError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** JSON-style path, e.g. `targets[2].ssh.host`, or `(root)`. */
  path: string;
  message: string;
  hint?: string;
}

/** `file:line:col: path: message (hint)`, the form editors and CI logs link to. */
export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.path}: ${e.message}${e.hint ? ` (${e.hint})` : ""}`;
}
