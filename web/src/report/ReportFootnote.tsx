import type { DiaryAnalysis } from '../../../src/domain/analysis';
import { format, t } from '../i18n/strings';
import type { BaselineSchedule } from './report-data';

/**
 * The definitions behind the figures (docs/clinical-rules.md), with the analysis's own settings
 * and the follow-up schedule whose baseline visit gave the baseline MIDAS and HIT-6.
 */
export function ReportFootnote({ analysis, schedule }: { analysis: DiaryAnalysis; schedule: BaselineSchedule }) {
  const f = t.report.footnote;
  const { config } = analysis;
  const { windowBeforeDays: before, windowAfterDays: after } = schedule.visit;
  const window = after === 0 ? format(f.windowUpTo, { before }) : format(f.windowAround, { before, after });
  const baseline = format(schedule.source === 'site' ? f.scoreBaselineSite : f.scoreBaselineDefault, { window });
  return (
    <footer className="report-footnote">
      <h2>{f.heading}</h2>
      <p>
        {format(f.mmd, { minutes: config.migraineDayMinMinutes })}{' '}
        {format(f.periods, { baselineDays: config.baselineDays })}{' '}
        {format(f.sufficiency, { percent: Math.round(config.complianceThreshold * 100) })} {f.medication} {f.scores}{' '}
        <span data-testid="score-baseline">{baseline}</span>
      </p>
    </footer>
  );
}
