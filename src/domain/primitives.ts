import { z } from 'zod';
import { INSTANT_PATTERN, isValidInstant, isValidLocalDate, isValidTimeZone, LOCAL_DATE_PATTERN } from './time.js';

/** Shared field schemas: the same rules validate files, the CLI's options and (later) the API. */

const DATE_MESSAGE = 'must be a calendar date as YYYY-MM-DD';
export const localDateSchema = z
  .string()
  .regex(LOCAL_DATE_PATTERN, { message: DATE_MESSAGE, abort: true })
  .refine(isValidLocalDate, DATE_MESSAGE)
  .describe('a local calendar date, YYYY-MM-DD');

const INSTANT_MESSAGE = 'must be a date-time with a UTC offset, e.g. 2024-03-10T23:30:00+01:00';
export const instantSchema = z
  .string()
  .regex(INSTANT_PATTERN, { message: INSTANT_MESSAGE, abort: true })
  .refine(isValidInstant, INSTANT_MESSAGE)
  .describe('an ISO 8601 date-time with its UTC offset');

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris')
  .describe('an IANA time zone, e.g. Europe/Paris');
