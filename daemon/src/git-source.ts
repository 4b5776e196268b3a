/**
 * `source.git`: follow a branch of a repository instead of the local file. loomd keeps a bare mirror
 * under its state directory (`.loom/git/`), fetches the branch into it, and reads loom.yaml from the
 * fetched commit, so only what is committed is ever reconciled; a work tree's uncommitted edits are not.
 * The system's git does the fetching, so whatever it can reach (a local path, ssh with the user's keys,
 * https with a credential helper) works.
 */
import { execFile } from "node:child_process";
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

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      "git",
      args,
      {
        cwd,
        timeout: FETCH_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        // Never wait for a password prompt: a daemon has nobody to answer it.
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "" },
      },
      (err, stdout, stderr) => {
        if (!err) return done(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === "ENOENT"
            ? "git is not installed"
            : String(stderr).trim().split("\n").slice(-3).join(" ") || err.message;
        fail(Object.assign(new Error(why), { missingGit: code === "ENOENT" }));
      },
    );
  });
}

/**
 * Fetch `branch` of `repo` into the mirror under `stateDir` and read `path` at its head. Errors are
 * LoomErrors that say what failed and what to check.
 */
export async function fetchGitSource(
  spec: GitSourceSpec,
  opts: { stateDir: string; baseDir: string },
): Promise<GitSnapshot> {
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
    await git(["fetch", "--quiet", "--no-tags", "--force", "--", repo, `+${ref}:${ref}`], mirror);
  } catch (err) {
    throw new LoomError("SOURCE_UNAVAILABLE", `Cannot fetch ${where}: ${(err as Error).message}`, {
      hint: "Check source.git.repo and source.git.branch, and that git can reach the repository as the user loomd runs as (ssh keys, credential helper).",
      cause: err,
    });
  }
  const commit = (await git(["rev-parse", "--verify", `${ref}^{commit}`], mirror)).trim();
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
