import type { z } from 'zod';
import type { ComponentType } from 'react';
import type { User } from '../../api/types';

/** `GET /patients/:patientId`: what the forms need of the patient. */
export interface PatientInfo {
  id: string;
  siteId: string;
  displayName: string;
  timeZone: string;
}

export type RecordKind = 'procedure' | 'treatment' | 'adverse-event';

/** A registry record as the API returns it (`GET /patients/:id/procedures/:id` and the like). */
export interface RecordView {
  id: string;
  patientId: string;
  kind: RecordKind;
  version: number;
  createdAt: string;
  updatedAt: string;
  data: Record<string, unknown>;
}

/** What a form knows besides its own values. */
export interface FormContext {
  patient: PatientInfo;
  user: User;
  /** The patient's local date. */
  today: string;
  /** The page's query (e.g. `?procedureId=` to link a new complication). */
  search: URLSearchParams;
}

export interface FormProps<F> {
  value: F;
  onChange: (next: F) => void;
  /** Messages by field name (`recipientSites.0.volumeMl`). */
  errors: Map<string, string[]>;
  ctx: FormContext;
}

/** One kind of registry record: how its form is filled, turned into a body, and shown. */
export interface RecordSpec<F> {
  kind: RecordKind;
  /** The API path segment: `/patients/:id/<segment>/:recordId`. */
  segment: 'procedures' | 'treatments' | 'adverse-events';
  /** The body schema the server validates with. */
  schema: z.ZodType;
  empty: (ctx: FormContext) => F;
  fromData: (data: Record<string, unknown>) => F;
  toBody: (form: F) => Record<string, unknown>;
  Form: ComponentType<FormProps<F>>;
  /** The saved record, read-only, with whatever belongs beside it (the outcome table). */
  Details: ComponentType<{ record: RecordView; ctx: FormContext }>;
  newTitle: string;
  /** The title of a saved record, and of its edit form. */
  title: (data: Record<string, unknown>) => string;
  editTitle: (data: Record<string, unknown>) => string;
  deleteQuestion: string;
  /** A readable name of a field (`recipientSites.1.volumeMl`) for the error summary. */
  fieldLabel: (field: string) => string;
}
