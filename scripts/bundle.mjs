// Bundle the warp MCP server: MCP clients start it often, and loading a few files instead of hundreds of
// modules is most of the start-to-tools/list time on Node 20. Code splitting keeps the NATS client and
// the warp library in chunks that load on the first tool call that needs NATS (see docs/benchmarks.md).
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: { warp: "dist/warp/src/mcp/bin.js" },
  outdir: "dist/bundle",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // Some dependencies are CommonJS and call require(); give each ESM chunk one.
  banner: {
    js: "import { createRequire as __loomRequire } from 'node:module'; const require = __loomRequire(import.meta.url);",
  },
});
