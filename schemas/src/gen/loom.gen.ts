/* Generated from schemas/loom.schema.json by `npm run gen:schemas`. Do not edit. */

/**
 * loom.yaml: the desired state of a Loom fleet, kept in git.
 */
export interface LoomConfig {
/**
 * Config format version; 1.
 */
version: 1
/**
 * Default project for channels and work.
 */
project: string
/**
 * How to reach NATS (default: embedded).
 */
nats?: {
/**
 * embedded (loomd runs nats-server), or nats://, tls://, ws://, wss:// URL(s), comma-separated.
 */
url?: string
/**
 * A value, or a reference resolved only where used: ${env:NAME} or ${file:PATH}.
 */
user?: string
/**
 * A value, or a reference resolved only where used: ${env:NAME} or ${file:PATH}.
 */
pass?: string
/**
 * A value, or a reference resolved only where used: ${env:NAME} or ${file:PATH}.
 */
token?: string
/**
 * Path of a .creds file.
 */
creds?: string
tls?: {
ca?: string
cert?: string
key?: string
}
embedded?: {
/**
 * Client port (default 4222; 0 picks a free one).
 */
port?: number
/**
 * JetStream store (default .loom/nats).
 */
storeDir?: string
}
}
/**
 * Security boundaries, by name. Work never leaves its boundary.
 */
boundaries?: {
[k: string]: {
description?: string
/**
 * Only these agent types may serve it (default: any).
 */
agentTypes?: string[]
/**
 * Only these targets may serve it (default: any that declare it).
 */
targets?: string[]
}
}
defaults?: {
/**
 * Boundary for work submitted without one.
 */
boundary?: string
/**
 * When to stop idle agents.
 */
idle?: {
/**
 * Stop an agent that has had no work for this long (default 5m).
 */
timeout?: string
/**
 * Never scale below this many (default 0).
 */
minInstances?: number
}
/**
 * Work lease (default 5m).
 */
lease?: string
/**
 * Attempts before dead-lettering (default 3).
 */
maxAttempts?: number
/**
 * How long finished work (completed, cancelled, expired, discarded) is kept before the janitor removes it (default 7d). Dead-lettered items stay until retried or discarded.
 */
workRetention?: string
}
/**
 * Channels (default: roadmap, parallel-work, errors).
 */
channels?: {
name: string
description?: string
maxMessages?: number
maxBytes?: number
/**
 * A duration such as 30s, 5m, 1h30m or 7d.
 */
maxAge?: string
}[]
/**
 * Ways to launch agents.
 */
targets?: {
/**
 * Unique target name.
 */
name: string
description?: string
/**
 * What it launches: claude-code, copilot-cli, script, ...
 */
agentType: string
/**
 * Work its agents can take.
 * 
 * @minItems 1
 */
capabilities: [string, ...(string)[]]
/**
 * Boundaries its agents belong to (trusted: from config, not from the agent).
 * 
 * @minItems 1
 */
boundaries: [string, ...(string)[]]
/**
 * Projects it serves (default: all).
 */
projects?: string[]
/**
 * How agents are launched; the block of the same name configures it.
 */
mechanism: ("local" | "ssh" | "kubernetes" | "github-actions" | "webhook")
/**
 * At most this many agents at once (default 1).
 */
maxInstances?: number
/**
 * Keep at least this many running (default 0).
 */
minInstances?: number
/**
 * When to stop idle agents.
 */
idle?: {
/**
 * Stop an agent that has had no work for this long (default 5m).
 */
timeout?: string
/**
 * Never scale below this many (default 0).
 */
minInstances?: number
}
/**
 * How often to check a launched agent is alive.
 */
healthCheck?: {
/**
 * A duration such as 30s, 5m, 1h30m or 7d.
 */
interval?: string
/**
 * A duration such as 30s, 5m, 1h30m or 7d.
 */
timeout?: string
}
/**
 * Preferred among targets that fit (higher first; default 50).
 */
priority?: number
/**
 * Wait at least this long between launches (default 10s).
 */
cooldown?: string
/**
 * A launch that has not registered by then is stopped and counts as a failure (default 2m).
 */
launchTimeout?: string
/**
 * Launch a process on the daemon's machine.
 */
local?: {
/**
 * Program to run.
 */
command: string
/**
 * Its arguments.
 */
args?: string[]
/**
 * Working directory (default: the directory of loom.yaml).
 */
cwd?: string
/**
 * Environment variables (values may be secret references).
 */
env?: {
[k: string]: string
}
}
/**
 * Launch a process on another machine over SSH.
 */
ssh?: {
/**
 * Host name or address.
 */
host: string
/**
 * SSH port (default 22).
 */
port?: number
/**
 * Login user.
 */
user?: string
/**
 * Private key file.
 */
identityFile?: string
/**
 * known_hosts file used to verify the host key.
 */
knownHosts?: string
/**
 * Program to run on the host.
 */
command: string
args?: string[]
cwd?: string
/**
 * Environment variables (values may be secret references).
 */
env?: {
[k: string]: string
}
}
/**
 * Launch a Kubernetes Job per agent.
 */
kubernetes?: {
/**
 * Namespace for the Jobs.
 */
namespace: string
/**
 * Container image of the agent.
 */
image: string
/**
 * kubeconfig context (default: current).
 */
context?: string
/**
 * kubeconfig path (default: in-cluster or ~/.kube/config).
 */
kubeconfig?: string
serviceAccount?: string
command?: string[]
/**
 * Container resources (requests/limits), as in a Pod spec.
 */
resources?: {

}
/**
 * Environment variables (values may be secret references).
 */
env?: {
[k: string]: string
}
}
/**
 * Dispatch a GitHub Actions workflow per agent.
 */
"github-actions"?: {
owner: string
repo: string
/**
 * Workflow file name or id.
 */
workflow: string
/**
 * Branch or tag to run on (default: the default branch).
 */
ref?: string
/**
 * GitHub token; use ${env:GITHUB_TOKEN}.
 */
token: string
inputs?: {
[k: string]: string
}
}
/**
 * Ask another system to launch agents over HTTP.
 */
webhook?: {
/**
 * Called with a launch request (POST).
 */
url: string
method?: ("POST" | "PUT")
headers?: {
[k: string]: string
}
/**
 * Called to stop an agent.
 */
stopUrl?: string
/**
 * HMAC secret for signing requests.
 */
secret?: string
}
}[]
api?: {
/**
 * HOST:PORT of the REST API (default 127.0.0.1:3000).
 */
listen?: string
/**
 * Bearer tokens accepted (secret references).
 */
tokens?: string[]
}
daemon?: {
/**
 * Leader lease; a standby takes over within it (default 10s).
 */
leaderLease?: string
/**
 * Reconcile at least this often (default 5m).
 */
resync?: string
logLevel?: ("trace" | "debug" | "info" | "warn" | "error" | "silent")
/**
 * Where loomd keeps local state (default .loom).
 */
stateDir?: string
}
/**
 * Follow a git branch instead of the local file.
 */
source?: {
git?: {
/**
 * Repository path or URL git can reach.
 */
repo: string
/**
 * Branch to follow (default main).
 */
branch?: string
/**
 * Path of loom.yaml in the repository (default loom.yaml).
 */
path?: string
/**
 * How often to fetch (default 1m).
 */
interval?: string
}
}
}
