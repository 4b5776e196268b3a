/**
 * Warp's one error family. Every failure a user or a program can act on is a {@link LoomError} with a
 * stable string code, a message that says what went wrong, and, where there is one, a hint that says
 * what to do. NATS errors are mapped to ours in {@link fromNatsError}, and nowhere else.
 */

/** Stable error codes: programs match on these, never on messages. */
export type LoomErrorCode =
  | "NATS_UNREACHABLE"
  | "NATS_AUTH"
  | "JETSTREAM_DISABLED"
  | "INVALID_ARGUMENT"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "REVISION_CONFLICT"
  | "NOT_REGISTERED"
  | "FORBIDDEN"
  | "TOO_LARGE"
  | "TIMEOUT"
  | "ILLEGAL_TRANSITION"
  | "LEASE_STALE"
  | "CANCELLED"
  | "CONFIG_INVALID"
  | "NATS_SERVER_MISSING"
  | "SOURCE_UNAVAILABLE"
  | "INTERNAL";

/** Options for {@link LoomError}. */
export interface LoomErrorOptions {
  /** What the user can do about it. */
  hint?: string;
  /** The underlying error, always passed on. */
  cause?: unknown;
  /** Structured details for programs (`--json`, MCP structured content). */
  details?: Record<string, unknown>;
}

/** An error with a stable code and, where possible, a hint that says what to do. */
export class LoomError extends Error {
  readonly code: LoomErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: LoomErrorCode, message: string, opts: LoomErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "LoomError";
    this.code = code;
    if (opts.hint !== undefined) this.hint = opts.hint;
    if (opts.details !== undefined) this.details = opts.details;
  }

  /** `message` plus the hint, for people. */
  describe(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** True when `err` is a LoomError with the given code. */
export function isLoomError(err: unknown, code?: LoomErrorCode): err is LoomError {
  return err instanceof LoomError && (code === undefined || err.code === code);
}

/** JetStream API error codes Loom reacts to (see the nats-server `errors.json`). */
export const JetStreamApiCode = {
  WrongLastSequence: 10071,
  NoMessageFound: 10037,
  StreamNotFound: 10059,
  ConsumerNotFound: 10014,
  StreamNameInUse: 10058,
  JetStreamNotEnabled: 10076,
  JetStreamNotEnabledForAccount: 10039,
} as const;

interface NatsLikeError {
  code?: unknown;
  api_error?: { err_code?: number; code?: number; description?: string };
  message?: string;
  name?: string;
}

/** The JetStream API error code carried by `err`, if any. */
export function jetStreamErrorCode(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as NatsLikeError;
  if (e.api_error?.err_code !== undefined) return e.api_error.err_code;
  if (typeof e.code === "number" && e.code >= 10000) return e.code;
  return undefined;
}

/** True when a compare-and-set write lost a race (KV `update`/`create` with a stale revision). */
export function isRevisionConflict(err: unknown): boolean {
  if (jetStreamErrorCode(err) === JetStreamApiCode.WrongLastSequence) return true;
  const msg = (err as NatsLikeError | undefined)?.message ?? "";
  return /wrong last sequence|key exists/i.test(msg);
}

/** True when a lookup found nothing (a missing message, stream or consumer). */
export function isNotFound(err: unknown): boolean {
  const code = jetStreamErrorCode(err);
  if (
    code === JetStreamApiCode.NoMessageFound ||
    code === JetStreamApiCode.StreamNotFound ||
    code === JetStreamApiCode.ConsumerNotFound
  )
    return true;
  const msg = (err as NatsLikeError | undefined)?.message ?? "";
  return /no message found|not found/i.test(msg);
}

/**
 * Map any NATS client error to a LoomError. `what` names the operation (“reading channel roadmap”),
 * `where` the server or object involved. LoomErrors pass through unchanged.
 */
export function fromNatsError(err: unknown, what: string, where?: string): LoomError {
  if (err instanceof LoomError) return err;
  const e = (err ?? {}) as NatsLikeError;
  const msg = e.message ?? String(err);
  const at = where ? ` (${where})` : "";
  const code = jetStreamErrorCode(err);
  if (
    code === JetStreamApiCode.JetStreamNotEnabled ||
    code === JetStreamApiCode.JetStreamNotEnabledForAccount ||
    /jetstream not enabled|jetstream is not enabled/i.test(msg)
  ) {
    return new LoomError("JETSTREAM_DISABLED", `JetStream is not enabled on the NATS server${at}.`, {
      hint: "Start nats-server with -js (or `jetstream {}` in its config), or use `nats: { url: embedded }`.",
      cause: err,
    });
  }
  if (/authorization|authentication|permissions violation|user authentication/i.test(msg)) {
    return new LoomError("NATS_AUTH", `NATS refused the credentials while ${what}${at}: ${msg}`, {
      hint: "Check NATS_USER/NATS_PASS, NATS_TOKEN or NATS_CREDS, and the account's permissions.",
      cause: err,
    });
  }
  if (
    /ECONNREFUSED|ENOTFOUND|CONNECTION_REFUSED|connection refused|timeout|TIMEOUT/i.test(`${msg} ${e.code}`)
  ) {
    const refused = /refused/i.test(`${msg} ${e.code}`);
    return new LoomError(
      refused ? "NATS_UNREACHABLE" : "TIMEOUT",
      refused
        ? `Cannot reach NATS${at} while ${what}: ${msg}`
        : `NATS did not answer in time while ${what}${at}.`,
      {
        hint: refused
          ? "Is nats-server running? Set NATS_URL (e.g. nats://127.0.0.1:4222), or run `loomd` with `nats: { url: embedded }`."
          : "The server may be overloaded or restarting; try again.",
        cause: err,
      },
    );
  }
  if (isRevisionConflict(err)) {
    return new LoomError("REVISION_CONFLICT", `Someone else changed this record while ${what}${at}.`, {
      hint: "Read it again and retry.",
      cause: err,
    });
  }
  return new LoomError("INTERNAL", `NATS error while ${what}${at}: ${msg}`, { cause: err });
}
