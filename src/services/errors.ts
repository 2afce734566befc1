/** Errors the services raise; the HTTP and CLI layers map them to statuses and exit codes. */

export interface FieldIssue {
  /** Where the problem is, e.g. `body.start` or `query.from`. */
  path: string;
  message: string;
}

export type ServiceErrorCode =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_many_requests';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export class InvalidInputError extends ServiceError {
  constructor(readonly issues: FieldIssue[]) {
    super('invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
}

export const notFound = (what: string) => new ServiceError('not_found', `${what} not found`);
export const forbidden = (message = 'not allowed for this role') => new ServiceError('forbidden', message);
export const unauthenticated = (message = 'sign in first') => new ServiceError('unauthenticated', message);
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new ServiceError('conflict', message, details);

/** Storage reports a unique-key violation with this, whatever the database. */
export class DuplicateKeyError extends Error {
  constructor(cause: unknown) {
    super('duplicate key', { cause });
    this.name = 'DuplicateKeyError';
  }
}
