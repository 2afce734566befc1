import type { PeriodSummary } from '../../../src/domain/periods';
import { format, formatDate, formatRate, t } from '../i18n/strings';

/** "3 Nov 2025 – 30 Nov 2025". */
export function dateRange(from: string, to: string): string {
  return `${formatDate(from)} – ${formatDate(to)}`;
}

/**
 * A per-28-day figure of a period, or why there is none: nothing recorded, or too few days
 * recorded for a rate (docs/clinical-rules.md, Periods). Never a 0 in place of a missing value.
 */
export function per28Text(
  summary: PeriodSummary | null | undefined,
  pick: (p: NonNullable<PeriodSummary['per28']>) => number,
): string {
  if (summary === null || summary === undefined || summary.recordedDays === 0) return t.report.notRecorded;
  if (summary.per28 === null) return t.report.notEnoughDiary;
  return formatRate(pick(summary.per28));
}

/** "26 of 28 days recorded". */
export function recordedText(summary: PeriodSummary): string {
  return format(t.report.key.recorded, { recorded: summary.recordedDays, days: summary.days });
}
