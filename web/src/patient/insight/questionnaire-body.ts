import {
  HIT6_ANSWERS,
  PGIC_ANSWERS,
  scoreHit6,
  scoreMidas,
  type QuestionnaireResponse,
} from '../../../../src/domain/questionnaires';
import { format, t } from '../../i18n/strings';
import type { PatientInstrument } from './instruments';
import { MIDAS_ITEMS, type Answers } from './QuestionnaireForms';

/**
 * The body of a questionnaire response from the answers filled in, or the fields still wrong
 * (with messages the patient understands; the server checks the same limits again).
 */
export function questionnaireBody(
  instrument: PatientInstrument,
  answers: Answers,
  date: string,
): { body: QuestionnaireResponse } | { errors: Map<string, string[]> } {
  const q = t.insight.questionnaire;
  const errors = new Map<string, string[]>();
  const wrong = (field: string, message: string) => errors.set(field, [message]);
  switch (instrument) {
    case 'HIT-6': {
      const chosen = HIT6_ANSWERS as readonly string[];
      const list = [0, 1, 2, 3, 4, 5].map((i) => answers[`answers.${i}`] ?? '');
      list.forEach((a, i) => chosen.includes(a) || wrong(`answers.${i}`, q.required));
      if (errors.size > 0) return { errors };
      return { body: { instrument, date, answers: list as (typeof HIT6_ANSWERS)[number][] } };
    }
    case 'PGIC': {
      const answer = answers.answer ?? '';
      if (!(PGIC_ANSWERS as readonly string[]).includes(answer)) return { errors: new Map([['answer', [q.required]]]) };
      return { body: { instrument, date, answer: answer as (typeof PGIC_ANSWERS)[number] } };
    }
    case 'MIDAS': {
      const days = (field: string, optional: boolean): number | undefined => {
        const text = (answers[field] ?? '').trim();
        if (text === '') {
          if (!optional) wrong(field, q.required);
          return undefined;
        }
        const n = Number(text);
        if (!Number.isInteger(n) || n < 0 || n > 90) wrong(field, q.daysRange);
        return n;
      };
      const items = MIDAS_ITEMS.map((item) => days(`answers.${item}`, false));
      const headacheDays = days('answers.headacheDays', true);
      const painText = (answers['answers.averagePain'] ?? '').trim();
      const averagePain = painText === '' ? undefined : Number(painText);
      if (averagePain !== undefined && !(averagePain >= 0 && averagePain <= 10))
        wrong('answers.averagePain', q.painRange);
      if (errors.size > 0) return { errors };
      return {
        body: {
          instrument,
          date,
          answers: {
            missedWorkOrSchool: items[0]!,
            reducedWorkOrSchool: items[1]!,
            missedHousework: items[2]!,
            reducedHousework: items[3]!,
            missedFamilySocialLeisure: items[4]!,
            ...(headacheDays !== undefined && { headacheDays }),
            ...(averagePain !== undefined && { averagePain }),
          },
        },
      };
    }
  }
}

/** The score in words, from the domain's scoring (the same as the server's). */
export function scoreText(body: QuestionnaireResponse): string {
  const q = t.insight.questionnaire;
  switch (body.instrument) {
    case 'MIDAS': {
      const s = scoreMidas(body.answers);
      return format(q.midas.score, { score: s.score, grade: s.grade, meaning: q.midas.grades[s.grade]! });
    }
    case 'HIT-6': {
      const s = scoreHit6(body.answers);
      return format(q.hit6.score, { score: s.total, meaning: q.hit6.bands[s.band]! });
    }
    case 'PGIC':
      return format(q.pgic.score, { answer: q.pgic.answers[body.answer]! });
    case 'DN4':
      return '';
  }
}
