/** Records the services read and write through the store port (see ports.ts). */

export const ROLES = ['admin', 'clinician', 'researcher', 'patient'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SiteRecord {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PatientRecord {
  id: string;
  siteId: string;
  userId: string | null;
  displayName: string;
  birthYear: number | null;
  sex: 'female' | 'male' | 'other' | 'unknown' | null;
  timeZone: string;
  conditions: string[];
  referenceDate: string | null;
  careTeam: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: string;
  revokedAt: string | null;
}

export const ENTRY_KINDS = ['attack', 'daily-record', 'medication', 'questionnaire'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** One diary entry as stored: the validated body plus what queries need. */
export interface EntryRecord {
  id: string;
  patientId: string;
  kind: EntryKind;
  /** First local day the entry covers. */
  localDate: string;
  /** Last local day it covers (an attack over midnight covers two). */
  endDate: string;
  /** UTC instant of the entry (attack start, intake time), when it has one. */
  instant: string | null;
  body: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export const AUDIT_OUTCOMES = ['ok', 'unchanged', 'denied', 'not_found', 'conflict', 'invalid'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEvent {
  at: string;
  actorUserId: string | null;
  actorRole: Role | null;
  action: string;
  patientId: string | null;
  entityType: string | null;
  entityId: string | null;
  requestId: string | null;
  outcome: AuditOutcome;
}

export interface AuditRow extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}
