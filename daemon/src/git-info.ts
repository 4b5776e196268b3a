/** The git commit of a config file's work tree and whether the file has uncommitted changes. */
import { execFileSync } from "node:child_process";
import { basename, dirname } from "node:path";

/** `{ gitCommit, dirty }` when `file` sits in a git work tree; `{}` otherwise. */
export function gitRevision(file: string): { gitCommit?: string; dirty?: boolean } {
  const cwd = dirname(file);
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  try {
    const gitCommit = git(["rev-parse", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--", basename(file)]) !== "";
    return { gitCommit, dirty };
  } catch {
    return {};
  }
}
