/**
 * `source.git`: follow a branch of a repository instead of the local file. loomd keeps a bare mirror
 * under its state directory (`.loom/git/`), fetches the branch into it, and reads loom.yaml from the
 * fetched commit, so only what is committed is ever reconciled; a work tree's uncommitted edits are not.
 * The system's git does the fetching, so whatever it can reach (a local path, ssh with the user's keys,
 * https with a credential helper) works.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { LoomError } from "../../warp/src/index.js";

/** The `source.git` block. */
export interface GitSourceSpec {
  repo: string;
  branch?: string;
  path?: string;
  interval?: string;
}

/** loom.yaml as committed on the branch. */
export interface GitSnapshot {
  text: string;
  commit: string;
  repo: string;
  branch: string;
  path: string;
  /** How errors name the file: `loom.yaml@1a2b3c4d5e6f`. */
  label: string;
}

const FETCH_TIMEOUT_MS = 120_000;

/** A URL or scp-like address (`host:path`, `user@host:path`) is passed to git as is; a path is resolved. */
export function resolveRepo(repo: string, baseDir: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) return repo;
  if (/^[^/\\]+:/.test(repo) && !/^[a-zA-Z]:[\\/]/.test(repo)) return repo;
  return isAbsolute(repo) ? repo : resolve(baseDir, repo);
}

/** Run git without a terminal: it never prompts, and a hung transport is killed with its children. */
function git(args: string[], cwd: string, timeoutMs = FETCH_TIMEOUT_MS): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn("git", ["-c", "protocol.ext.allow=never", ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a timeout also stops ssh or a remote helper it started.
      detached: true,
      env: {
        ...process.env,
        // A daemon has nobody to answer a password or host-key prompt.
        GIT_TERMINAL_PROMPT: "0",
        GIT_ASKPASS: "",
        SSH_ASKPASS: "",
        GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes",
      },
    });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => {
      err = (err + b.toString()).slice(-4096);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const missing = e.code === "ENOENT";
      fail(Object.assign(new Error(missing ? "git is not installed" : e.message), { missingGit: missing }));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) return done(Buffer.concat(out).toString("utf8"));
      const why = timedOut
        ? `git ${args[0]} did not finish within ${timeoutMs / 1000} s`
        : err.trim().split("\n").slice(-3).join(" ") || `git ${args[0]} exited with ${code}`;
      fail(new Error(why));
    });
  });
}

/**
 * Fetch `branch` of `repo` into the mirror under `stateDir` and read `path` at its head. Errors are
 * LoomErrors that say what failed and what to check.
 */
export async function fetchGitSource(
  spec: GitSourceSpec,
  opts: { stateDir: string; baseDir: string /** Per git command (default 2 min). */; timeoutMs?: number },
): Promise<GitSnapshot> {
  if (spec.repo.startsWith("-"))
    throw new LoomError("SOURCE_UNAVAILABLE", `source.git.repo "${spec.repo}" starts with "-".`, {
      hint: "Give a path, a URL or user@host:path.",
    });
  const repo = resolveRepo(spec.repo, opts.baseDir);
  const branch = spec.branch ?? "main";
  const path = (spec.path ?? "loom.yaml").replace(/^\.\//, "");
  const mirror = join(
    opts.stateDir,
    "git",
    `${createHash("sha256").update(repo).digest("hex").slice(0, 16)}.git`,
  );
  const where = `branch ${branch} of ${repo}`;
  try {
    if (!existsSync(join(mirror, "HEAD"))) {
      mkdirSync(mirror, { recursive: true });
      await git(["init", "--bare", "--quiet"], mirror);
    }
  } catch (err) {
    throw new LoomError(
      "SOURCE_UNAVAILABLE",
      `Cannot create the git mirror in ${mirror}: ${(err as Error).message}`,
      {
        hint: (err as { missingGit?: boolean }).missingGit
          ? "Install git (sudo apt-get install git) or remove source.git from loom.yaml."
          : "Check that loomd can write its state directory (daemon.stateDir).",
        cause: err,
      },
    );
  }
  const ref = `refs/heads/${branch}`;
  try {
    // `loomd plan` and the daemon may fetch into one mirror at once; git then refuses with a lock error.
    for (let attempt = 1; ; attempt++) {
      try {
        await git(
          ["fetch", "--quiet", "--no-tags", "--force", "--", repo, `+${ref}:${ref}`],
          mirror,
          opts.timeoutMs,
        );
        break;
      } catch (err) {
        if (attempt >= 5 || !/\.lock\b|unable to lock|cannot lock/i.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  } catch (err) {
    throw new LoomError("SOURCE_UNAVAILABLE", `Cannot fetch ${where}: ${(err as Error).message}`, {
      hint: "Check source.git.repo and source.git.branch, and that git can reach the repository as the user loomd runs as (ssh keys, credential helper).",
      cause: err,
    });
  }
  let commit: string;
  try {
    commit = (await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], mirror)).trim();
  } catch (err) {
    throw new LoomError("SOURCE_UNAVAILABLE", `Fetched ${where}, but it names no commit.`, {
      hint: "Check source.git.branch.",
      cause: err,
    });
  }
  let text: string;
  try {
    text = await git(["show", `${commit}:${path}`], mirror);
  } catch (err) {
    throw new LoomError(
      "SOURCE_UNAVAILABLE",
      `${path} is not in commit ${commit.slice(0, 12)} of ${where}: ${(err as Error).message}`,
      {
        hint: "Check source.git.path (relative to the repository's root), and that the file is committed.",
        cause: err,
      },
    );
  }
  return { text, commit, repo, branch, path, label: `${path}@${commit.slice(0, 12)}` };
}
