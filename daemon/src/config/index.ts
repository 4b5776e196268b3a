/** loom.yaml: loading, validation and secrets. */
export { type ConfigError, formatConfigError } from "./errors.js";
export {
  hashText,
  type LoadOptions,
  type LoadResult,
  loadConfigFile,
  loadConfigText,
  withDefaults,
} from "./load.js";
export { findSecretRefs, resolveSecret } from "./secrets.js";
