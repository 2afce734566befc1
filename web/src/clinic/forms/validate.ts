import { z } from 'zod';
import { ApiError, type FieldIssue } from '../../api/client';

// The page's Content-Security-Policy forbids eval: zod must not try to compile its parsers.
z.config({ jitless: true });

/**
 * Checks a body with the schema the server validates it with, as the server does: the body goes
 * through JSON first (what the server receives), and each problem is named `body.<field>`, with
 * zod's own message. So the form shows, before sending, exactly the 400 the API would answer.
 */
export function validateBody(schema: z.ZodType, body: unknown): ApiError | null {
  const sent: unknown = JSON.parse(JSON.stringify(body));
  const result = schema.safeParse(sent);
  if (result.success) return null;
  const issues: FieldIssue[] = result.error.issues.map((i) => ({
    path: ['body', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new ApiError(400, 'invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/**
 * A number field's value: empty is absent, a decimal comma is a decimal point, and text that is
 * no number is sent as it is, so the schema's message says a number was expected.
 */
export function numberOf(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed.replace(',', '.'));
  return Number.isFinite(n) ? n : trimmed;
}

/** An optional text field's value: empty is absent. */
export function optionalText(text: string): string | undefined {
  return text === '' ? undefined : text;
}

/** The form text of an optional number. */
export const textOf = (n: unknown): string => (typeof n === 'number' ? String(n) : typeof n === 'string' ? n : '');

/** Drops keys whose value is undefined (JSON would drop them too; this keeps bodies readable). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
