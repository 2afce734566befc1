import { DEFAULT_SCRYPT_COST, type ScryptCost } from './passwords.js';

/** Security settings of a Relief server; every value is a documented default. */
export interface SecuritySettings {
  /** Sessions end this many hours after sign-in. */
  sessionHours: number;
  /** Consecutive failed sign-ins that lock an account … */
  lockoutAttempts: number;
  /** … for this many minutes. */
  lockoutMinutes: number;
  /** Sign-in attempts allowed per client address per minute. */
  loginAttemptsPerMinute: number;
  /** NIST SP 800-63B asks for at least 8; Relief asks for 12. */
  minPasswordLength: number;
  scrypt: ScryptCost;
}

export const DEFAULT_SECURITY: SecuritySettings = {
  sessionHours: 12,
  lockoutAttempts: 5,
  lockoutMinutes: 15,
  loginAttemptsPerMinute: 20,
  minPasswordLength: 12,
  scrypt: DEFAULT_SCRYPT_COST,
};
