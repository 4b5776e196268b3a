/**
 * Eligibility, pure: boundaries are a hard filter, capabilities must match, a required agent type must
 * match. The same rules decide claims here and spin-ups in the daemon.
 */
import { LoomError } from "../errors.js";

/** The parts of an agent that routing looks at. */
export interface Claimer {
  guid: string;
  handle?: string;
  agentType: string;
  capabilities: string[];
  boundaries: string[];
}

/** The parts of an item that routing looks at. */
export interface Routable {
  capability: string;
  boundary: string;
  requiredAgentType?: string;
}

/** May `agent` take `item`? */
export function eligible(item: Routable, agent: Claimer): boolean {
  return (
    agent.boundaries.includes(item.boundary) &&
    agent.capabilities.includes(item.capability) &&
    (item.requiredAgentType === undefined || item.requiredAgentType === agent.agentType)
  );
}

/** The (boundary, capability) queues `agent` may claim from, optionally narrowed to one capability. */
export function claimPairs(agent: Claimer, capability?: string): { boundary: string; capability: string }[] {
  if (capability !== undefined && !agent.capabilities.includes(capability)) {
    throw new LoomError("FORBIDDEN", `You do not have the capability "${capability}".`, {
      hint: `Your capabilities: ${agent.capabilities.join(", ") || "none"}. Register with it, or claim without a capability.`,
    });
  }
  if (agent.boundaries.length === 0) {
    throw new LoomError("FORBIDDEN", "You belong to no boundary, so no work can be routed to you.", {
      hint: 'Register with boundaries, e.g. ["personal"].',
    });
  }
  const caps = capability !== undefined ? [capability] : agent.capabilities;
  return agent.boundaries.flatMap((boundary) => caps.map((c) => ({ boundary, capability: c })));
}
