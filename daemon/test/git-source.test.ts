import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitRepo } from "../../test/harness/git.js";
import { loadSourcedConfig } from "../src/config-source.js";
import { fetchGitSource, resolveRepo } from "../src/git-source.js";

const fleet = (targets: string[]) => `version: 1
project: gitops
boundaries:
  personal: {}
targets:
${targets.map((t) => `  - { name: ${t}, agentType: script, capabilities: [echo], boundaries: [personal], mechanism: local, local: { command: node } }`).join("\n")}
`;

describe("source.git", () => {
  let root: string;
  let repo: ReturnType<typeof gitRepo>;
  let stateDir: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "loom-git-"));
    const dir = join(root, "fleet");
    mkdirSync(dir);
    repo = gitRepo(dir);
    stateDir = join(root, "state");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads loom.yaml as committed on the branch, never the work tree's uncommitted edits", async () => {
    const first = repo.commit("loom.yaml", fleet(["alpha"]));
    writeFileSync(join(repo.dir, "loom.yaml"), fleet(["alpha", "uncommitted"]));
    const snap = await fetchGitSource({ repo: repo.dir }, { stateDir, baseDir: root });
    expect(snap.commit).toBe(first);
    expect(snap.text).toBe(fleet(["alpha"]));
    expect(snap.label).toBe(`loom.yaml@${first.slice(0, 12)}`);

    const second = repo.commit("loom.yaml", fleet(["alpha", "beta"]));
    const next = await fetchGitSource({ repo: "fleet" }, { stateDir, baseDir: root });
    expect(next.commit).toBe(second);
    expect(next.text).toContain("beta");
  });

  it("follows the named branch and path", async () => {
    repo.git("checkout", "--quiet", "-b", "prod");
    mkdirSync(join(repo.dir, "deploy"));
    const prod = repo.commit("deploy/loom.yaml", fleet(["prod-only"]));
    repo.git("checkout", "--quiet", "main");
    const snap = await fetchGitSource(
      { repo: repo.dir, branch: "prod", path: "./deploy/loom.yaml" },
      { stateDir, baseDir: root },
    );
    expect(snap.commit).toBe(prod);
    expect(snap.text).toContain("prod-only");
  });

  it("says what failed and what to check for a missing branch, path or repository", async () => {
    await expect(
      fetchGitSource({ repo: repo.dir, branch: "nope" }, { stateDir, baseDir: root }),
    ).rejects.toMatchObject({
      code: "SOURCE_UNAVAILABLE",
      message: expect.stringContaining("Cannot fetch branch nope of"),
      hint: expect.stringContaining("source.git.branch"),
    });
    await expect(
      fetchGitSource({ repo: repo.dir, path: "missing.yaml" }, { stateDir, baseDir: root }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/missing\.yaml is not in commit [0-9a-f]{12}/),
    });
    await expect(
      fetchGitSource({ repo: join(root, "no-such-repo") }, { stateDir, baseDir: root }),
    ).rejects.toMatchObject({ code: "SOURCE_UNAVAILABLE" });
  });

  it("refuses a repository that looks like an option, and kills a fetch that hangs along with its ssh", async () => {
    await expect(
      fetchGitSource({ repo: "-oProxyCommand=x" }, { stateDir, baseDir: root }),
    ).rejects.toMatchObject({
      code: "SOURCE_UNAVAILABLE",
      message: expect.stringContaining('starts with "-"'),
    });
    const saved = process.env.GIT_SSH_COMMAND;
    process.env.GIT_SSH_COMMAND = "sh -c 'sleep 37' --";
    try {
      const t0 = Date.now();
      await expect(
        fetchGitSource(
          { repo: "ssh://fleet.invalid/fleet.git" },
          { stateDir, baseDir: root, timeoutMs: 1_000 },
        ),
      ).rejects.toMatchObject({ message: expect.stringContaining("did not finish within 1 s") });
      expect(Date.now() - t0).toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(() => execFileSync("pgrep", ["-f", "sleep 37"])).toThrow(); // pgrep exits 1: no such process
    } finally {
      if (saved === undefined) delete process.env.GIT_SSH_COMMAND;
      else process.env.GIT_SSH_COMMAND = saved;
    }
  });

  it("loads through the local bootstrap file: positions name the commit, fetch failures point at source.git", async () => {
    const boot = join(root, "loom.yaml");
    writeFileSync(boot, `version: 1\nproject: gitops\nsource:\n  git: { repo: fleet, interval: 1s }\n`);
    const good = await loadSourcedConfig(boot);
    expect(good.ok).toBe(true);
    expect(good.revision).toMatchObject({ repo: repo.dir, branch: "main", file: "loom.yaml", dirty: false });
    expect(good.ok && good.config.targets?.map((t) => t.name)).toEqual(["alpha", "beta"]);

    const bad = repo.commit(
      "loom.yaml",
      fleet(["alpha"]).replace("boundaries: [personal]", "boundaries: [nowhere]"),
    );
    const broken = await loadSourcedConfig(boot);
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.reason).toBe("ConfigInvalid");
    expect(!broken.ok && broken.errors[0]).toMatchObject({
      file: `loom.yaml@${bad.slice(0, 12)}`,
      line: 6,
      path: "targets[0].boundaries[0]",
    });

    writeFileSync(boot, `version: 1\nproject: gitops\nsource:\n  git: { repo: fleet, branch: gone }\n`);
    const unreachable = await loadSourcedConfig(boot);
    expect(!unreachable.ok && unreachable.reason).toBe("SourceUnavailable");
    expect(!unreachable.ok && unreachable.errors[0]).toMatchObject({
      file: boot,
      line: 4,
      col: 3,
      path: "source.git",
    });
  });

  it("passes URLs and scp-like addresses to git untouched and resolves paths", () => {
    expect(resolveRepo("https://example.com/fleet.git", "/base")).toBe("https://example.com/fleet.git");
    expect(resolveRepo("git@example.com:team/fleet.git", "/base")).toBe("git@example.com:team/fleet.git");
    expect(resolveRepo("../fleet", "/base/dir")).toBe("/base/fleet");
    expect(resolveRepo("/srv/fleet", "/base")).toBe("/srv/fleet");
  });
});
