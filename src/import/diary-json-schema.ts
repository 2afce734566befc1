import { z } from 'zod';
import { diarySchema } from '../domain/diary.js';

/** The JSON Schema of Relief's diary file, generated from the zod schema that validates it. */
export function diaryJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(diarySchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://relief.invalid/schema/diary.schema.json',
    title: 'Relief diary',
    description:
      'A patient, their attacks, daily records and questionnaire answers. Instants carry a UTC offset; days are local dates.',
  };
}
