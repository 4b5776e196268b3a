// Bundle the warp MCP server into one file: MCP clients start it often, and loading one file instead
// of hundreds of modules cuts start-to-tools/list by about a fifth on Node 20 (see docs/mcp.md).
import { build } from "esbuild";

await build({
  entryPoints: ["dist/warp/src/mcp/bin.js"],
  outfile: "dist/bundle/warp.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __loomRequire } from 'node:module'; const require = __loomRequire(import.meta.url);",
  },
});
