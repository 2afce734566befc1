import { conflict } from './errors.js';

/** What an idempotent PUT did: created the record, changed it, or found it already as sent. */
export interface WriteResult<T> {
  status: 'created' | 'updated' | 'unchanged';
  record: T;
}

/**
 * A change to an existing record must name the version it was based on (HTTP If-Match), so
 * two people editing one entry get a 409 instead of one silently overwriting the other.
 */
export function precondition(currentVersion: number, ifMatch: number | undefined): void {
  if (ifMatch === undefined) {
    throw conflict('this record exists with other content: send If-Match with the version you edited', {
      currentVersion,
      reason: 'version_required',
    });
  }
  if (ifMatch !== currentVersion) {
    throw conflict(`version ${ifMatch} is not the current version ${currentVersion}`, {
      currentVersion,
      reason: 'version_conflict',
    });
  }
}
