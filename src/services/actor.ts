import type { Role } from './model.js';

/** Who is making a request, as established by a session or an API token. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  /** Sites the user belongs to (clinicians and researchers). */
  siteIds: readonly string[];
  /** The patient record of a patient's own login. */
  patientId: string | null;
  mustChangePassword: boolean;
}

/** Ties an action to the request that caused it, for the audit log. */
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
}
