/**
 * Who may see which agent, and which fields. Pure functions, so the rules are tested without NATS.
 * - private: only the agent itself; project-only: the same project; user-only: the same user;
 *   public: everyone.
 * - The project id and NATS URL are shown only within the same project; the username only to the same user.
 */
import type { AgentRecord } from "../../schemas/src/index.js";

/** Who is asking. */
export interface Viewer {
  project: string;
  username: string;
  /** The asking agent's guid, if registered (it always sees itself in full). */
  guid?: string;
}

/** An agent record as a viewer may see it. */
export type AgentView = Omit<AgentRecord, "project" | "natsUrl" | "username"> & {
  project?: string;
  natsUrl?: string;
  username?: string;
};

/** True when `viewer` may see `rec` at all. */
export function canSee(rec: AgentRecord, viewer: Viewer): boolean {
  if (viewer.guid !== undefined && rec.guid === viewer.guid) return true;
  switch (rec.visibility) {
    case "private":
      return false;
    case "project-only":
      return rec.project === viewer.project;
    case "user-only":
      return rec.username === viewer.username;
    case "public":
      return true;
  }
}

/** `rec` with the fields `viewer` may not see removed. */
export function redact(rec: AgentRecord, viewer: Viewer): AgentView {
  if (viewer.guid !== undefined && rec.guid === viewer.guid) return rec;
  const { project, natsUrl, username, ...rest } = rec;
  const out: AgentView = { ...rest };
  if (project === viewer.project) {
    out.project = project;
    if (natsUrl !== undefined) out.natsUrl = natsUrl;
  }
  if (username === viewer.username) out.username = username;
  return out;
}
