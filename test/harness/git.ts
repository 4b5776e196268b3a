/** A real git repository in a temp directory, for tests of loomd's source.git. */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A real git repository in a temp dir, with helpers to edit and commit. */
export function gitRepo(dir: string) {
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=loom", "-c", "user.email=loom@example.com", ...args], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    })
      .toString()
      .trim();
  git("init", "--quiet", "--initial-branch=main");
  return {
    dir,
    git,
    commit(file: string, text: string, message = `edit ${file}`) {
      writeFileSync(join(dir, file), text);
      git("add", file);
      git("commit", "--quiet", "-m", message);
      return git("rev-parse", "HEAD");
    },
  };
}
