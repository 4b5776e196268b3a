/**
 * Connecting to NATS: URL forms (`nats://`, `tls://`, `ws://`, `wss://`, several servers), credentials
 * (in the URL, NATS_USER/NATS_PASS, NATS_TOKEN, a `.creds` file), TLS files, and reconnecting forever
 * with capped, jittered backoff. Failures become LoomErrors that say what, where, and what to do.
 */
import { readFileSync } from "node:fs";
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import {
  type ConnectionOptions,
  credsAuthenticator,
  type NatsConnection,
  wsconnect,
} from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { fromNatsError, LoomError } from "./errors.js";

/** How to reach NATS. Every field falls back to the environment, then to the default. */
export interface NatsSettings {
  /** Server URLs, comma-separated or a list. Env `NATS_URL`; default `nats://127.0.0.1:4222`. */
  servers?: string | string[];
  /** Env `NATS_USER`. A user in the URL wins. */
  user?: string;
  /** Env `NATS_PASS`. */
  pass?: string;
  /** Env `NATS_TOKEN`. */
  token?: string;
  /** Path of a `.creds` file (JWT + nkey seed). Env `NATS_CREDS`. */
  credsFile?: string;
  /** TLS files. Env `NATS_CA`, `NATS_CERT`, `NATS_KEY`. A `tls://` URL turns TLS on. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** Connection name shown by the server (`nats server report connections`). */
  name?: string;
  /** Initial connect timeout in ms (default 5000). */
  timeoutMs?: number;
  /** Maximum reconnect backoff in ms (default 5000). Reconnects never give up. */
  maxReconnectDelayMs?: number;
}

/** Resolved, validated connection settings (pure: no I/O). */
export interface ResolvedNats {
  servers: string[];
  transport: "tcp" | "websocket";
  tls: boolean;
  user?: string;
  pass?: string;
  token?: string;
  credsFile?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  name?: string;
  timeoutMs: number;
  maxReconnectDelayMs: number;
}

const SCHEMES = new Set(["nats:", "tls:", "ws:", "wss:"]);

/** Merge settings with the environment and validate the URLs. Throws INVALID_ARGUMENT with a hint. */
export function resolveNatsSettings(
  settings: NatsSettings = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedNats {
  const raw = settings.servers ?? env.NATS_URL ?? "nats://127.0.0.1:4222";
  const list = (Array.isArray(raw) ? raw : raw.split(",")).map((s) => s.trim()).filter((s) => s.length > 0);
  if (list.length === 0) {
    throw new LoomError("INVALID_ARGUMENT", "NATS_URL is empty.", { hint: "Set NATS_URL=nats://host:4222." });
  }
  let user = settings.user ?? env.NATS_USER;
  let pass = settings.pass ?? env.NATS_PASS;
  let token = settings.token ?? env.NATS_TOKEN;
  const schemes = new Set<string>();
  const servers = list.map((s) => {
    const withScheme = /^[a-z]+:\/\//i.test(s) ? s : `nats://${s}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch (cause) {
      throw new LoomError("INVALID_ARGUMENT", `NATS URL "${s}" is not a valid URL.`, {
        hint: "Use nats://host:4222, tls://host:4222, ws://host:8080 or wss://host:443; separate several with commas.",
        cause,
      });
    }
    if (!SCHEMES.has(url.protocol)) {
      throw new LoomError("INVALID_ARGUMENT", `NATS URL "${s}" has unsupported scheme "${url.protocol}".`, {
        hint: "Use nats://, tls://, ws:// or wss://.",
      });
    }
    schemes.add(url.protocol);
    if (url.username) {
      const u = decodeURIComponent(url.username);
      const p = url.password ? decodeURIComponent(url.password) : undefined;
      if (p === undefined && user === undefined) token = token ?? u;
      else {
        user = u;
        pass = p ?? pass;
      }
    }
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  });
  const ws = schemes.has("ws:") || schemes.has("wss:");
  if (ws && (schemes.has("nats:") || schemes.has("tls:"))) {
    throw new LoomError("INVALID_ARGUMENT", "NATS_URL mixes WebSocket (ws/wss) and TCP (nats/tls) servers.", {
      hint: "List servers of one kind only.",
    });
  }
  const out: ResolvedNats = {
    servers,
    transport: ws ? "websocket" : "tcp",
    tls: schemes.has("tls:") || schemes.has("wss:") || Boolean(settings.tls?.caFile ?? env.NATS_CA),
    timeoutMs: settings.timeoutMs ?? 5_000,
    maxReconnectDelayMs: settings.maxReconnectDelayMs ?? 5_000,
  };
  const opt = (k: keyof ResolvedNats, v: string | undefined) => {
    if (v !== undefined && v !== "") (out as unknown as Record<string, unknown>)[k] = v;
  };
  opt("user", user);
  opt("pass", pass);
  opt("token", token);
  opt("credsFile", settings.credsFile ?? env.NATS_CREDS);
  opt("caFile", settings.tls?.caFile ?? env.NATS_CA);
  opt("certFile", settings.tls?.certFile ?? env.NATS_CERT);
  opt("keyFile", settings.tls?.keyFile ?? env.NATS_KEY);
  opt("name", settings.name);
  return out;
}

function readFileFor(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    throw new LoomError("INVALID_ARGUMENT", `Cannot read the ${what} file "${path}".`, {
      hint: `Check the path and its permissions (${what}).`,
      cause,
    });
  }
}

/** Build nats.js connection options from resolved settings. */
export function toConnectionOptions(r: ResolvedNats): ConnectionOptions {
  let attempt = 0;
  const opts: ConnectionOptions = {
    servers: r.servers,
    timeout: r.timeoutMs,
    maxReconnectAttempts: -1,
    waitOnFirstConnect: false,
    // nats.js otherwise builds an Error (with a stack) for every request in case it times out: about a
    // quarter of a busy claimer's CPU. fromNatsError already says which operation failed.
    noAsyncTraces: true,
    reconnectDelayHandler: () => {
      // Capped exponential backoff with full jitter; reset in connectNats on each reconnect.
      attempt++;
      const cap = Math.min(r.maxReconnectDelayMs, 250 * 2 ** Math.min(attempt, 10));
      return Math.floor(cap / 2 + (Math.random() * cap) / 2);
    },
  };
  Object.defineProperty(opts, "__resetBackoff", { value: () => (attempt = 0), enumerable: false });
  if (r.name) opts.name = r.name;
  if (r.user) opts.user = r.user;
  if (r.pass) opts.pass = r.pass;
  if (r.token) opts.token = r.token;
  if (r.credsFile) {
    opts.authenticator = credsAuthenticator(
      new TextEncoder().encode(readFileFor(r.credsFile, "NATS credentials")),
    );
  }
  if (r.tls && r.transport === "tcp") {
    const tls: Record<string, string> = {};
    if (r.caFile) tls.ca = readFileFor(r.caFile, "TLS CA");
    if (r.certFile) tls.cert = readFileFor(r.certFile, "TLS certificate");
    if (r.keyFile) tls.key = readFileFor(r.keyFile, "TLS key");
    opts.tls = tls;
  }
  return opts;
}

/**
 * Connect to NATS. Throws NATS_UNREACHABLE / NATS_AUTH / INVALID_ARGUMENT LoomErrors that name the
 * servers and say what to do.
 */
export async function connectNats(
  settings: NatsSettings = {},
  env?: NodeJS.ProcessEnv,
): Promise<NatsConnection> {
  const r = resolveNatsSettings(settings, env);
  const opts = toConnectionOptions(r);
  const where = r.servers.join(", ");
  let nc: NatsConnection;
  try {
    if (r.transport === "websocket") {
      await ensureWebSocket();
      nc = await wsconnect(opts);
    } else {
      nc = await connect(opts);
    }
  } catch (err) {
    throw fromNatsError(err, "connecting", where);
  }
  const reset = (opts as { __resetBackoff?: () => void }).__resetBackoff;
  void (async () => {
    for await (const s of nc.status()) if (s.type === "reconnect") reset?.();
  })().catch(() => undefined);
  return nc;
}

/** Node 20 has no global WebSocket; the `ws` package provides one for wss:// and ws:// URLs. */
async function ensureWebSocket(): Promise<void> {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function") return;
  try {
    const mod = (await import("ws")) as unknown as { WebSocket: unknown; default?: unknown };
    (globalThis as { WebSocket?: unknown }).WebSocket = mod.WebSocket ?? mod.default;
  } catch (cause) {
    throw new LoomError("INVALID_ARGUMENT", "WebSocket URLs need a WebSocket implementation.", {
      hint: "Use Node.js 22 or later, or install the `ws` package.",
      cause,
    });
  }
}

/** A JetStream manager, or a JETSTREAM_DISABLED LoomError that says how to turn it on. */
export async function openJetStream(nc: NatsConnection, where: string): Promise<JetStreamManager> {
  try {
    return await jetstreamManager(nc);
  } catch (err) {
    throw fromNatsError(err, "opening JetStream", where);
  }
}
