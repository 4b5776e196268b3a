import { afterAll, beforeAll } from "vitest";
import { startNats, type TestNats } from "../../test/harness/nats.js";
import type { Clock } from "../src/clock.js";
import { type OpenCoreOptions, openCore, type WarpCore } from "../src/core.js";

let counter = 0;
/** A unique project token per test, so tests sharing one server never see each other's data. */
export function uniqueProject(prefix = "t"): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

/** A core connected to `url` for a fresh project. */
export function testCore(
  url: string,
  project = uniqueProject(),
  extra: Partial<OpenCoreOptions> = {},
): Promise<WarpCore> {
  return openCore({ project, nats: { servers: url }, ...extra });
}

/** A clock the test moves by hand. */
export function manualClock(
  start = Date.parse("2026-01-01T00:00:00Z"),
): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async () => undefined,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Poll `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A describe block's own NATS server, and cores on it that are closed after the block. */
export interface NatsFixture {
  readonly nats: TestNats;
  readonly url: string;
  /** A core for `project` (default: a fresh one), closed in afterAll. */
  core(project?: string, extra?: Partial<OpenCoreOptions>): Promise<WarpCore>;
}

/** Call in a describe body: starts the server in beforeAll, closes every core and the server in afterAll. */
export function useNats(): NatsFixture {
  let nats: TestNats | undefined;
  const cores: WarpCore[] = [];
  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    for (const c of cores) await c.close().catch(() => undefined);
    await nats?.dispose();
  });
  const fixture: NatsFixture = {
    get nats() {
      if (!nats) throw new Error("useNats: the server starts in beforeAll; use it inside tests");
      return nats;
    },
    get url() {
      return fixture.nats.url;
    },
    async core(project, extra = {}) {
      const c = await testCore(fixture.url, project, extra);
      cores.push(c);
      return c;
    },
  };
  return fixture;
}
