import { AdminService } from './admin-service.js';
import { AuditService } from './audit-service.js';
import { AuthService } from './auth-service.js';
import { CandidacyService } from './candidacy-service.js';
import { CohortService } from './cohort-service.js';
import { DiaryService } from './diary-service.js';
import { PatientService } from './patient-service.js';
import { OutcomeService } from './outcome-service.js';
import { PatientOverviewService } from './patient-overview-service.js';
import type { ReliefStore } from './ports.js';
import { PreferencesService } from './preferences-service.js';
import { RegistryService } from './registry-service.js';
import { DEFAULT_SECURITY, type SecuritySettings } from './settings.js';
import { SiteSettingsService } from './site-settings-service.js';

export interface ReliefServices {
  store: ReliefStore;
  clock: () => Date;
  security: SecuritySettings;
  auth: AuthService;
  admin: AdminService;
  patients: PatientService;
  diary: DiaryService;
  audit: AuditService;
  cohort: CohortService;
  registry: RegistryService;
  candidacy: CandidacyService;
  siteSettings: SiteSettingsService;
  outcomes: OutcomeService;
  patientOverview: PatientOverviewService;
  preferences: PreferencesService;
}

export interface ServiceOptions {
  /** The wall clock; tests pass a fixed one. */
  clock?: () => Date;
  security?: Partial<SecuritySettings>;
  /** The smallest cohort a researcher is shown (default `MIN_RESEARCH_COHORT` of cohort-service.ts). */
  minResearchCohort?: number;
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
    cohort: new CohortService(store, clock, options.minResearchCohort),
    registry: new RegistryService(store, clock),
    candidacy: new CandidacyService(store, clock),
    siteSettings: new SiteSettingsService(store, clock),
    outcomes: new OutcomeService(store, clock),
    patientOverview: new PatientOverviewService(store, clock),
    preferences: new PreferencesService(store, clock),
  };
}
