import { writeFileSync } from 'node:fs';
import type { Diary } from '../domain/diary.js';
import { generateDiary } from '../synthetic/diary-generator.js';

/**
 * Writes examples/sample-diary.json (npm run example): ten months of a synthetic episodic patient
 * whose attack rate falls after a procedure on 2025-03-03, with questionnaires before and after.
 */
const diary: Diary = {
  ...generateDiary({
    seed: 7,
    startDate: '2025-01-06',
    days: 300,
    patientId: 'example-001',
    timeZone: 'Europe/Paris',
    sex: 'female',
    birthYear: 1984,
    frequency: 'episodic',
    attacksPer28: 8,
    compliance: 0.95,
    referenceDate: '2025-03-03',
    rateMultiplier: 0.4,
  }),
  questionnaires: [
    {
      instrument: 'MIDAS',
      date: '2025-03-01',
      answers: {
        missedWorkOrSchool: 4,
        reducedWorkOrSchool: 6,
        missedHousework: 5,
        reducedHousework: 3,
        missedFamilySocialLeisure: 4,
        headacheDays: 27,
        averagePain: 7,
      },
    },
    {
      instrument: 'HIT-6',
      date: '2025-03-01',
      answers: ['very-often', 'always', 'sometimes', 'very-often', 'sometimes', 'very-often'],
    },
    {
      instrument: 'HIT-6',
      date: '2025-09-01',
      answers: ['sometimes', 'rarely', 'rarely', 'sometimes', 'never', 'sometimes'],
    },
    { instrument: 'PGIC', date: '2025-09-01', answer: 'much-improved' },
  ],
};
writeFileSync(new URL('../../examples/sample-diary.json', import.meta.url), `${JSON.stringify(diary, null, 1)}\n`);
process.stdout.write('wrote examples/sample-diary.json\n');
