/** loomd's public entry: config loading and planning for shuttle and tools; the daemon itself. */
export {
  type ConfigError,
  formatConfigError,
  type LoadResult,
  loadConfigFile,
  loadConfigText,
  resolveSecret,
} from "./config/index.js";
export { type Daemon, type DaemonOptions, startDaemon } from "./daemon.js";
export { applySpec, observeSpec } from "./reconcile/apply.js";
export { canonical, desiredState } from "./reconcile/desired.js";
export { type Action, describeAction, hasChanges, plan } from "./reconcile/plan.js";
export { reconcileOnce } from "./reconcile/reconcile.js";
export { type Condition, type ReconcileStatus, readStatus } from "./reconcile/status.js";
