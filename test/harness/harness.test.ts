import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { startCluster, startNats, type TestNats } from "./nats.js";

describe("test harness", () => {
  let server: TestNats | undefined;
  afterAll(async () => server?.dispose());

  it("starts a JetStream server on a random port, not 4222, and keeps its store across restart", async () => {
    server = await startNats();
    expect(server.port).not.toBe(4222);
    let nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "KEEP", subjects: ["keep.>"] });
    await nc.close();

    await server.restart();
    nc = await connect({ servers: server.url });
    const jsm2 = await jetstreamManager(nc);
    const info = await jsm2.streams.info("KEEP");
    expect(info.config.name).toBe("KEEP");
    await nc.close();
  });

  it("starts a 3-node cluster with replicated JetStream", async () => {
    const cluster = await startCluster(3);
    try {
      const nc = await connect({ servers: cluster.url.split(",") });
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.add({ name: "R3", subjects: ["r3.>"], num_replicas: 3 });
      expect(info.config.num_replicas).toBe(3);
      expect(info.cluster?.replicas?.length).toBe(2);
      await nc.close();
    } finally {
      await cluster.dispose();
    }
  });
});
