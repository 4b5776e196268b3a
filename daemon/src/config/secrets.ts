/**
 * Secret references: `${env:NAME}` and `${file:PATH}`. The loaded config keeps the reference text;
 * values are resolved only where used, so nothing secret reaches KV, status, logs or API answers.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { LoomError } from "../../../warp/src/index.js";

const REF_RE = /\$\{([a-z]+):([^}]*)\}/g;

/** Every reference in `value`: kind and argument. */
export function findSecretRefs(value: string): { kind: string; arg: string }[] {
  return [...value.matchAll(REF_RE)].map((m) => ({ kind: m[1] as string, arg: m[2] as string }));
}

/** Why a reference cannot be resolved, or undefined when it can. */
export function checkSecretRef(
  ref: { kind: string; arg: string },
  env: NodeJS.ProcessEnv,
  baseDir: string,
  exists: (path: string) => boolean,
): { message: string; hint: string } | undefined {
  if (ref.kind === "env") {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(ref.arg))
      return { message: `"${ref.arg}" is not an environment variable name`, hint: "Use ${env:NAME}." };
    if (env[ref.arg] === undefined)
      return {
        message: `environment variable ${ref.arg} is not set`,
        hint: `Set ${ref.arg} in loomd's environment (e.g. the systemd unit's Environment=).`,
      };
    return undefined;
  }
  if (ref.kind === "file") {
    const p = isAbsolute(ref.arg) ? ref.arg : resolve(baseDir, ref.arg);
    return exists(p)
      ? undefined
      : {
          message: `secret file ${p} cannot be read`,
          hint: "Check the path (relative to loom.yaml) and its permissions.",
        };
  }
  return { message: `unknown secret reference kind "${ref.kind}"`, hint: "Use ${env:NAME} or ${file:PATH}." };
}

/** Resolve every reference in `value` (at the point of use). Throws CONFIG_INVALID when one is missing. */
export function resolveSecret(
  value: string,
  env: NodeJS.ProcessEnv = process.env,
  baseDir = process.cwd(),
): string {
  return value.replace(REF_RE, (_m, kind: string, arg: string) => {
    if (kind === "env" && env[arg] !== undefined) return env[arg] as string;
    if (kind === "file") {
      try {
        return readFileSync(isAbsolute(arg) ? arg : resolve(baseDir, arg), "utf8").trim();
      } catch (cause) {
        throw new LoomError("CONFIG_INVALID", `Secret file ${arg} cannot be read.`, {
          hint: "Check the path and permissions.",
          cause,
        });
      }
    }
    throw new LoomError("CONFIG_INVALID", `Secret reference \${${kind}:${arg}} cannot be resolved.`, {
      hint: "Set the variable and reload.",
    });
  });
}
