/**
 * Ajv (draft 2020-12) validators compiled from the schema files, and one formatter that turns Ajv
 * errors into messages that name the path, what was expected and what was found.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default import is the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);

/** One validation problem: a JSON path (`targets[2].ssh.host`) and a message. */
export interface SchemaIssue {
  path: string;
  message: string;
  /** The Ajv keyword (`required`, `type`, `additionalProperties`, ...). */
  keyword: string;
  /** JSON-pointer segments of the offending value (for mapping to YAML positions). */
  pointer: (string | number)[];
}

/** Result of validating a value. */
export type Validation<T> = { ok: true; value: T } | { ok: false; issues: SchemaIssue[] };

/** A typed validator for one schema. */
export interface Validator<T> {
  (value: unknown): Validation<T>;
  readonly schemaId: string;
}

/** Compile a schema object into a typed validator. */
export function compileValidator<T>(schema: Record<string, unknown>): Validator<T> {
  const id = String(schema.$id ?? "anonymous");
  const fn: ValidateFunction = ajv.getSchema(id) ?? ajv.compile(schema);
  const v = ((value: unknown) =>
    fn(value)
      ? { ok: true, value: value as T }
      : { ok: false, issues: (fn.errors ?? []).map(toIssue) }) as Validator<T>;
  Object.defineProperty(v, "schemaId", { value: id });
  return v;
}

function pointerSegments(ptr: string): (string | number)[] {
  if (ptr === "") return [];
  return ptr
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `targets[2].ssh.host` from JSON-pointer segments. */
export function formatPath(segments: (string | number)[]): string {
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out === "" ? s : `.${s}`;
  return out === "" ? "(root)" : out;
}

function toIssue(e: ErrorObject): SchemaIssue {
  const pointer = pointerSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  let message: string;
  switch (e.keyword) {
    case "required":
      pointer.push(String(p.missingProperty));
      message = `is required`;
      break;
    case "additionalProperties":
      pointer.push(String(p.additionalProperty));
      message = `is not a known field`;
      break;
    case "enum":
      message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    default:
      message = e.message ?? "is invalid";
  }
  return { path: formatPath(pointer), message, keyword: e.keyword, pointer };
}

/** One line per issue: `path: message`. */
export function formatIssues(issues: SchemaIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join("\n");
}
