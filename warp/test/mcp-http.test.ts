import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WARP_BIN } from "../../test/harness/mcp.js";
import { freePort, startNats, type TestNats } from "../../test/harness/nats.js";
import { requestAllowed } from "../src/mcp/http.js";
import { eventually } from "./helpers.js";

describe("warp --http (Streamable HTTP)", () => {
  let nats: TestNats;
  let port: number;
  let child: ReturnType<typeof spawn>;
  beforeAll(async () => {
    nats = await startNats();
    port = await freePort();
    child = spawn(process.execPath, [WARP_BIN, "--http", `127.0.0.1:${port}`], {
      env: { PATH: process.env.PATH ?? "", NATS_URL: nats.url, LOOM_PROJECT: "http", LOG_LEVEL: "error" },
      stdio: "ignore",
    });
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/nope`)).status === 404, 10_000, 100);
  });
  afterAll(async () => {
    child.kill("SIGTERM");
    await nats.dispose();
  });

  it("serves tools to a real MCP client over HTTP", async () => {
    const client = new Client({ name: "http-test", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    const r = await client.callTool({
      name: "send_message",
      arguments: { channel: "roadmap", message: "over http" },
    });
    expect(r.isError).toBeFalsy();
    await client.close();
  });

  it("refuses a foreign Origin (DNS rebinding) and a foreign Host", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(requestAllowed({ headers: { host: "evil.example:80" } }, "127.0.0.1")).toBe(false);
    expect(
      requestAllowed(
        { headers: { host: `localhost:${port}`, origin: "http://localhost:5173" } },
        "127.0.0.1",
      ),
    ).toBe(true);
    expect(
      requestAllowed({ headers: { host: "127.0.0.1", origin: "https://tool.example" } }, "127.0.0.1", [
        "https://tool.example",
      ]),
    ).toBe(true);
  });
});
