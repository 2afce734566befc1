/** Shapes of API answers the app reads that the pure core does not define (it imports those from src/domain). */

export type Role = 'patient' | 'clinician' | 'researcher' | 'admin';

/** `GET /auth/me`, the user part of `POST /auth/login`. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  siteIds: string[];
  patientId: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
}

export interface Me extends User {
  csrfToken: string | null;
}

export interface Page<T> {
  items: T[];
  nextOffset?: number | null;
}
