import { procedureCohortFacts } from '../domain/cohort.js';
import { storedQuestionnaireScore } from '../domain/questionnaires.js';
import type { ProcedureColumns, QuestionnaireColumns } from './tables.js';

/**
 * Columns storage derives from a row's body whenever it writes the row, so that cohorts read a
 * few columns instead of every body. The domain functions named are their only definition.
 */

/** A questionnaire response's instrument and score (`storedQuestionnaireScore`); null for an invalid body. */
export function questionnaireColumns(body: unknown): QuestionnaireColumns {
  const scored = storedQuestionnaireScore(body);
  return { instrument: scored?.instrument ?? null, score: scored?.score ?? null };
}

/** A procedure's adjuncts (a JSON array) and trigger sites (`procedureCohortFacts`). */
export function procedureColumns(body: Record<string, unknown>): ProcedureColumns {
  const facts = procedureCohortFacts(body);
  return { adjuncts: JSON.stringify(facts.adjuncts), trigger_sites: facts.triggerSites };
}
