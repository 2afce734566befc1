import type { FollowUpSchedule } from './types';
import { isPatientInstrument, type PatientInstrument } from './instruments';

/** A questionnaire the follow-up schedule still waits for, with the visits it is for. */
export interface DueQuestionnaire {
  instrument: PatientInstrument;
  visits: string[];
  /** The last day it counts for the earliest of those visits. */
  closes: string;
  overdue: boolean;
}

/**
 * Questionnaires pending at visits that are due or overdue (domain/follow-up.ts decides both),
 * one line per instrument: one response counts for every visit whose window holds its date.
 */
export function dueQuestionnaires(schedule: FollowUpSchedule): DueQuestionnaire[] {
  const byInstrument = new Map<PatientInstrument, DueQuestionnaire>();
  for (const procedure of schedule.procedures) {
    for (const visit of procedure.visits) {
      if (visit.status !== 'due' && visit.status !== 'overdue') continue;
      for (const state of visit.instruments) {
        if (state.status !== 'pending' || !isPatientInstrument(state.instrument)) continue;
        const known = byInstrument.get(state.instrument);
        if (!known) {
          byInstrument.set(state.instrument, {
            instrument: state.instrument,
            visits: [visit.label],
            closes: visit.closes,
            overdue: visit.status === 'overdue',
          });
        } else {
          known.visits.push(visit.label);
          if (visit.closes < known.closes) known.closes = visit.closes;
        }
      }
    }
  }
  return [...byInstrument.values()].sort((a, b) => (a.closes < b.closes ? -1 : a.closes > b.closes ? 1 : 0));
}
