import { capture } from './en/capture';
import { clinicForms } from './en/clinic-forms';
import { clinicPatients } from './en/clinic-patients';
import { cohort } from './en/cohort';
import { common } from './en/common';
import { insight } from './en/insight';
import { offline } from './en/offline';
import { report } from './en/report';

/**
 * Every string the app shows, in one place (web/src/i18n/en/, a file per part of the app). Another
 * language is another folder with the same shape; `Strings` keeps them in step.
 */
export const en = { common, capture, offline, insight, clinicPatients, clinicForms, cohort, report };
export type Strings = typeof en;

export const t: Strings = en;
export const locale = 'en-GB';

/**
 * Fills `{name}` with values, and `{n, plural, one {…} other {…}}` with Intl.PluralRules; `#` in a
 * plural branch is the number.
 */
export function format(template: string, values: Record<string, string | number> = {}): string {
  const plurals = new Intl.PluralRules(locale);
  return template.replace(
    /\{(\w+), plural, ((?:\w+ \{[^}]*\}\s*)+)\}|\{(\w+)\}/g,
    (_m, pluralName: string | undefined, branches: string | undefined, name: string | undefined) => {
      if (pluralName !== undefined && branches !== undefined) {
        const n = Number(values[pluralName] ?? 0);
        const forms = Object.fromEntries([...branches.matchAll(/(\w+) \{([^}]*)\}/g)].map((b) => [b[1], b[2]]));
        const chosen = forms[plurals.select(n)] ?? forms.other ?? '';
        return chosen.replace(/#/g, formatNumber(n));
      }
      const v = values[name!];
      return v === undefined ? `{${name}}` : typeof v === 'number' ? formatNumber(v) : v;
    },
  );
}

export function formatNumber(n: number, digits?: number): string {
  return n.toLocaleString(
    locale,
    digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits },
  );
}

/*
 * Figures read the same on every page: a count of days (or a score) as a whole number; a rate per
 * 28 days (MMD, medication days per 28, MHI) with one decimal; a change with its sign, the minus
 * being a true minus sign (U+2212); a percentage with one decimal and a space before "%".
 */

/** A whole count: days, questionnaire scores ("12"). */
export function formatCount(n: number): string {
  return formatNumber(n, 0);
}

/** A rate per 28 days, or any figure computed to one decimal ("8.0", "8.3"). */
export function formatRate(n: number): string {
  return formatNumber(n, 1);
}

/** A change with its sign: "+1.5", "−4.0"; a change that rounds to zero is "0.0", without a sign. */
export function formatSigned(n: number, digits = 1): string {
  const text = formatNumber(Math.abs(n), digits);
  if (text === formatNumber(0, digits)) return text;
  return n > 0 ? `+${text}` : `\u2212${text}`;
}

/** A percentage (0–100, not a proportion): "42.1 %"; `signed` for a percent change ("−66.7 %"). */
export function formatPercent(percent: number, digits = 1, signed = false): string {
  return `${signed ? formatSigned(percent, digits) : formatNumber(percent, digits)} %`;
}

/** A local date `YYYY-MM-DD` as the reader writes dates ("3 Nov 2026"). */
export function formatDate(
  date: string,
  options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' },
): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString(locale, { ...options, timeZone: 'UTC' });
}

/** An instant with its offset, in the given IANA zone ("14:05"; with `withDate` "3 Nov, 14:05"). */
export function formatTime(instant: string, timeZone: string, withDate = false): string {
  return new Date(instant).toLocaleString(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(withDate ? { day: 'numeric', month: 'short' } : {}),
  });
}
