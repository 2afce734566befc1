/**
 * Kysely's view of the tables. Booleans are 0/1 integers and instants are UTC ISO text, so
 * one set of migrations serves SQLite and PostgreSQL alike.
 */
export interface Tables {
  sites: { id: string; name: string; version: number; created_at: string; updated_at: string };
  users: {
    id: string;
    username: string;
    display_name: string;
    role: string;
    password_hash: string;
    must_change_password: number;
    failed_logins: number;
    locked_until: string | null;
    disabled: number;
    created_at: string;
    updated_at: string;
  };
  site_memberships: { user_id: string; site_id: string };
  patients: {
    id: string;
    site_id: string;
    user_id: string | null;
    display_name: string;
    birth_year: number | null;
    sex: string | null;
    time_zone: string;
    conditions: string;
    reference_date: string | null;
    version: number;
    created_at: string;
    updated_at: string;
  };
  care_team: { patient_id: string; user_id: string };
  attacks: EntryTable;
  daily_records: EntryTable;
  medication_intakes: EntryTable;
  questionnaire_responses: EntryTable & QuestionnaireColumns;
  sessions: { id_hash: string; user_id: string; csrf_token: string; created_at: string; expires_at: string };
  api_tokens: {
    id: string;
    user_id: string;
    name: string;
    token_hash: string;
    created_at: string;
    revoked_at: string | null;
  };
  audit_log: {
    seq: number;
    at: string;
    actor_user_id: string | null;
    actor_role: string | null;
    action: string;
    patient_id: string | null;
    entity_type: string | null;
    entity_id: string | null;
    request_id: string | null;
    outcome: string;
    prev_hash: string;
    hash: string;
  };
  audit_head: { id: number; seq: number; hash: string };
  registry_records: {
    id: string;
    patient_id: string;
    kind: string;
    start_date: string;
    end_date: string | null;
    category: string;
    site_id: string | null;
    surgeon: string | null;
    procedure_id: string | null;
    body: string;
    /** Procedures only (`ProcedureColumns`); null for other records. */
    adjuncts: string | null;
    trigger_sites: number | null;
    version: number;
    created_at: string;
    updated_at: string;
    deleted_at: string | null;
  };
  candidacy_assessments: { patient_id: string; body: string; version: number; created_at: string; updated_at: string };
  site_settings: { site_id: string; body: string; version: number; updated_at: string };
  patient_preferences: { patient_id: string; body: string; version: number; created_at: string; updated_at: string };
  month_summaries: SummaryColumns & { month: string };
  period28_summaries: SummaryColumns & { anchor_date: string; period_index: number };
}

/** The counts cohort queries read as columns, and all of them as JSON (`PeriodCounts`). */
export interface SummaryColumns {
  patient_id: string;
  recorded_days: number;
  migraine_days: number;
  headache_days: number;
  acute_medication_days: number;
  /** Null in rows stored before aura days were counted (their counts lack `auraDays`). */
  aura_days: number | null;
  /** 0/1: the ICHD-3 8.2 thresholds met in the period (`overuseAtThresholds`, summaries' configuration). */
  medication_overuse: number;
  counts: string;
}

/** A questionnaire response's instrument and score (`storedQuestionnaireScore`); null for an invalid body. */
export interface QuestionnaireColumns {
  instrument: string | null;
  score: number | null;
}

/** A procedure's adjuncts as a JSON array, and its trigger sites (`procedureCohortFacts`). */
export interface ProcedureColumns {
  adjuncts: string;
  trigger_sites: number;
}

export interface EntryTable {
  id: string;
  patient_id: string;
  local_date: string;
  end_date: string;
  instant: string | null;
  body: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export type EntryTableName = 'attacks' | 'daily_records' | 'medication_intakes' | 'questionnaire_responses';
