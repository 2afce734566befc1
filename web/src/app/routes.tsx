import { type ComponentType, lazy } from 'react';
import type { Role } from '../api/types';
import { TodayPage } from '../patient/TodayPage';

/**
 * Every page of the app: its path, who may open it, and its component. Only the patient's
 * Today screen is in the first download; every other page is fetched when first opened.
 */
export interface PageRoute {
  path: string;
  roles: readonly Role[];
  /** Pages for patients use the dim theme (easier on the eyes during an attack). */
  theme: 'dim' | 'clinic';
  component: ComponentType<{ params: Record<string, string> }>;
}

const CARE: Role[] = ['clinician', 'admin'];
const REGISTRY: Role[] = ['clinician', 'researcher', 'admin'];
const PATIENT: Role[] = ['patient'];

const page = <T extends string>(
  load: () => Promise<Record<T, ComponentType<{ params: Record<string, string> }>>>,
  name: T,
) => lazy(async () => ({ default: (await load())[name] }));

export const PAGE_ROUTES: PageRoute[] = [
  { path: '/today', roles: PATIENT, theme: 'dim', component: TodayPage },
  {
    path: '/attacks/:attackId',
    roles: PATIENT,
    theme: 'dim',
    component: page(() => import('../patient/AttackDetailsPage'), 'AttackDetailsPage'),
  },
  {
    path: '/check-in',
    roles: PATIENT,
    theme: 'dim',
    component: page(() => import('../patient/CheckInPage'), 'CheckInPage'),
  },
  {
    path: '/settings',
    roles: PATIENT,
    theme: 'dim',
    component: page(() => import('../patient/SettingsPage'), 'SettingsPage'),
  },
  {
    path: '/my-diary',
    roles: PATIENT,
    theme: 'dim',
    component: page(() => import('../patient/MyDiaryPage'), 'MyDiaryPage'),
  },
  {
    path: '/questionnaires/:instrument',
    roles: PATIENT,
    theme: 'dim',
    component: page(() => import('../patient/QuestionnairePage'), 'QuestionnairePage'),
  },
  {
    path: '/report',
    roles: PATIENT,
    theme: 'clinic',
    component: page(() => import('../report/ReportPage'), 'ReportPage'),
  },
  {
    path: '/clinic',
    roles: CARE,
    theme: 'clinic',
    component: page(() => import('../clinic/PatientListPage'), 'PatientListPage'),
  },
  {
    path: '/clinic/patients/:patientId',
    roles: CARE,
    theme: 'clinic',
    component: page(() => import('../clinic/PatientPage'), 'PatientPage'),
  },
  {
    path: '/clinic/patients/:patientId/report',
    roles: CARE,
    theme: 'clinic',
    component: page(() => import('../report/ReportPage'), 'ReportPage'),
  },
  {
    path: '/clinic/patients/:patientId/procedures/:recordId',
    roles: CARE,
    theme: 'clinic',
    component: page(() => import('../clinic/ProcedurePage'), 'ProcedurePage'),
  },
  {
    path: '/clinic/patients/:patientId/treatments/:recordId',
    roles: CARE,
    theme: 'clinic',
    component: page(() => import('../clinic/TreatmentPage'), 'TreatmentPage'),
  },
  {
    path: '/clinic/patients/:patientId/adverse-events/:recordId',
    roles: CARE,
    theme: 'clinic',
    component: page(() => import('../clinic/AdverseEventPage'), 'AdverseEventPage'),
  },
  {
    path: '/clinic/patients/:patientId/questionnaires/new',
    roles: CARE,
    theme: 'clinic',
    component: page(() => import('../clinic/ClinicQuestionnairePage'), 'ClinicQuestionnairePage'),
  },
  {
    path: '/clinic/cohort',
    roles: REGISTRY,
    theme: 'clinic',
    component: page(() => import('../cohort/CohortPage'), 'CohortPage'),
  },
];

/** Where a user lands after signing in. */
export function homeOf(role: Role): string {
  if (role === 'patient') return '/today';
  if (role === 'researcher') return '/clinic/cohort';
  return '/clinic';
}
