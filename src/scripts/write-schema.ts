import { writeFileSync } from 'node:fs';
import { diaryJsonSchema } from '../import/diary-json-schema.js';

/** Writes schema/diary.schema.json from the zod diary schema (npm run schema). */
writeFileSync(
  new URL('../../schema/diary.schema.json', import.meta.url),
  `${JSON.stringify(diaryJsonSchema(), null, 2)}\n`,
);
process.stdout.write('wrote schema/diary.schema.json\n');
