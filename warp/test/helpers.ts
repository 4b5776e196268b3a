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
