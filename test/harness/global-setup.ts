import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { assertNatsServerInstalled } from "./nats.js";

/** Runs once before the suite: fail fast with a clear message, and make sure the bins are built. */
export default function setup(): void {
  assertNatsServerInstalled();
  if (!existsSync("dist/bundle/warp.mjs")) {
    execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  }
}
