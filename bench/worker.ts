/**
 * One bench worker process: claims and completes echo work until stdin closes, printing "ready" once
 * connected and one "." per completed item (the parent counts them).
 */
import { connectWarp } from "../warp/src/index.js";

const url = process.argv[2] ?? "nats://127.0.0.1:4222";
const project = process.argv[3] ?? "tput";
const w = await connectWarp({ project, nats: { servers: url } });
const me = { guid: `p${process.pid}`, agentType: "script", capabilities: ["echo"], boundaries: ["personal"] };
let stopping = false;
process.stdin.on("end", () => {
  stopping = true;
});
process.stdin.resume();
process.stdout.write("ready\n");
while (!stopping) {
  const it = await w.work.claim(me, { timeoutMs: 200 });
  if (!it) continue;
  await w.work.complete(me.guid, it.id, { summary: "ok" });
  process.stdout.write(".");
}
await w.close();
process.exit(0);
