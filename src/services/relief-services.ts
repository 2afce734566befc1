import { AdminService } from './admin-service.js';
import { AuditService } from './audit-service.js';
import { AuthService } from './auth-service.js';
import { DiaryService } from './diary-service.js';
import { PatientService } from './patient-service.js';
import type { ReliefStore } from './ports.js';
import { DEFAULT_SECURITY, type SecuritySettings } from './settings.js';

export interface ReliefServices {
  store: ReliefStore;
  clock: () => Date;
  security: SecuritySettings;
  auth: AuthService;
  admin: AdminService;
  patients: PatientService;
  diary: DiaryService;
  audit: AuditService;
}

export interface ServiceOptions {
  /** The wall clock; tests pass a fixed one. */
  clock?: () => Date;
  security?: Partial<SecuritySettings>;
}

export function createServices(store: ReliefStore, options: ServiceOptions = {}): ReliefServices {
  const clock = options.clock ?? (() => new Date());
  const security = { ...DEFAULT_SECURITY, ...options.security };
  const auth = new AuthService(store, clock, security);
  return {
    store,
    clock,
    security,
    auth,
    admin: new AdminService(store, clock, auth),
    patients: new PatientService(store, clock),
    diary: new DiaryService(store, clock),
    audit: new AuditService(store, clock),
  };
}
