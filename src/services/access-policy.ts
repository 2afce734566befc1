import type { Actor } from './actor.js';
import type { PatientRecord } from './model.js';

/**
 * Who may touch a patient's data:
 * - a patient: their own record only;
 * - a clinician: patients of the sites they belong to;
 * - an admin: any patient (every access is audited like everyone's);
 * - a researcher: no identified patient data.
 * "hidden" is answered as "not found", so a record's existence does not leak.
 */
export type PatientAccess = 'allowed' | 'hidden' | 'forbidden';

export function patientAccess(actor: Actor, patient: PatientRecord): PatientAccess {
  switch (actor.role) {
    case 'admin':
      return 'allowed';
    case 'clinician':
      return actor.siteIds.includes(patient.siteId) ? 'allowed' : 'hidden';
    case 'patient':
      return patient.userId !== null && patient.userId === actor.userId ? 'allowed' : 'hidden';
    case 'researcher':
      return 'forbidden';
  }
}

/** Roles that see lists of identified patients and create patient records. */
export const CARE_ROLES: ReadonlySet<Actor['role']> = new Set(['admin', 'clinician']);
