import type { PeriodSummary } from '../../../src/domain/periods';
import { format, formatCount, formatDate, formatPercent, formatSigned, t } from '../i18n/strings';
import type { ReportFigures, ScoreChange } from './report-data';
import { dateRange, per28Text, recordedText } from './report-format';

const k = t.report.key;
const tb = t.report.table;

/** The headline figures: baseline MMD, MMD now, the change, acute medication days now. */
export function KeyNumbers({ figures }: { figures: ReportFigures }) {
  const { baseline, recent } = figures;
  const baselineNote =
    baseline === null
      ? k.noBaseline
      : format(k.baseline[baseline.kind], { date: baseline.date === null ? '' : formatDate(baseline.date) });
  const recentNote =
    recent === null ? k.noRecent : format(k.recent, { from: formatDate(recent.start), to: formatDate(recent.end) });
  return (
    <section className="report-key" aria-labelledby="report-key-heading">
      <h2 id="report-key-heading">{k.heading}</h2>
      <dl className="report-tiles">
        <Tile
          testId="baseline-mmd"
          label={k.baselineMmd}
          value={baseline === null ? t.report.notRecorded : per28Text(baseline.summary, (p) => p.migraineDays)}
          note={baselineNote}
        />
        <Tile
          testId="recent-mmd"
          label={k.recentMmd}
          value={recent === null ? t.report.notYet : per28Text(recent, (p) => p.migraineDays)}
          note={recentNote}
        />
        <Tile testId="mmd-change" label={k.percentChange} {...changeTile(figures)} />
        <Tile
          testId="recent-medication"
          label={k.medicationDays}
          value={recent === null ? t.report.notYet : per28Text(recent, (p) => p.acuteMedicationDays)}
          note={k.perPeriod}
        />
      </dl>
      <ComparisonTable figures={figures} />
      <OveruseNote figures={figures} />
    </section>
  );
}

function Tile(props: { testId: string; label: string; value: string; note: string }) {
  return (
    <div className="report-tile">
      <dt>{props.label}</dt>
      <dd className="report-tile-value" data-testid={props.testId}>
        {props.value}
      </dd>
      <dd className="report-tile-note" data-testid={`${props.testId}-note`}>
        {props.note}
      </dd>
    </div>
  );
}

/**
 * The change of MMD as the tile shows it: the percent change as its value and the change in days
 * as its note; the reason instead when there is no change to give.
 */
function changeTile(figures: ReportFigures): { value: string; note: string } {
  if (figures.mmdChange === null) {
    const reason =
      figures.baseline === null || figures.baseline.summary.recordedDays === 0
        ? t.report.notRecorded
        : figures.recent === null
          ? t.report.notYet
          : t.report.notEnoughDiary;
    return { value: reason, note: k.perPeriod };
  }
  const days = format(k.changeDays, { change: formatSigned(figures.mmdChange) });
  if (figures.mmdPercentChange === null) return { value: days, note: k.percentFromZero };
  return { value: formatPercent(figures.mmdPercentChange, 1, true), note: days };
}

function difference(
  a: PeriodSummary | null | undefined,
  b: PeriodSummary | null | undefined,
  pick: (p: NonNullable<PeriodSummary['per28']>) => number,
): string {
  if (!a?.per28 || !b?.per28) return tb.noChange;
  return formatSigned(pick(b.per28) - pick(a.per28));
}

function scoreText(score: ScoreChange['baseline']): string {
  if (score === null) return t.report.notRecorded;
  const interpretation =
    score.instrument === 'HIT-6'
      ? (tb.hit6Band[score.interpretation] ?? score.interpretation)
      : format(tb.midasGrade, { grade: score.interpretation.replace(/^grade /, '') });
  return format(tb.scoreOn, { score: formatCount(score.score), interpretation, date: formatDate(score.date) });
}

/** Baseline against now, per 28 days, with MIDAS and HIT-6 beside them. */
function ComparisonTable({ figures }: { figures: ReportFigures }) {
  const b = figures.baseline?.summary ?? null;
  const r = figures.recent;
  const rows: { key: string; label: string; baseline: string; recent: string; change: string }[] = [
    {
      key: 'mmd',
      label: tb.mmd,
      baseline: per28Text(b, (p) => p.migraineDays),
      recent: r === null ? t.report.notYet : per28Text(r, (p) => p.migraineDays),
      change: difference(b, r, (p) => p.migraineDays),
    },
    {
      key: 'headache',
      label: tb.headacheDays,
      baseline: per28Text(b, (p) => p.headacheDays),
      recent: r === null ? t.report.notYet : per28Text(r, (p) => p.headacheDays),
      change: difference(b, r, (p) => p.headacheDays),
    },
    {
      key: 'medication',
      label: tb.medicationDays,
      baseline: per28Text(b, (p) => p.acuteMedicationDays),
      recent: r === null ? t.report.notYet : per28Text(r, (p) => p.acuteMedicationDays),
      change: difference(b, r, (p) => p.acuteMedicationDays),
    },
    {
      key: 'recorded',
      label: tb.recordedDays,
      baseline: b === null ? t.report.notRecorded : recordedText(b),
      recent: r === null ? t.report.notYet : recordedText(r),
      change: '',
    },
    ...(['midas', 'hit6'] as const).map((key) => {
      const s = figures[key];
      return {
        key,
        label: tb[key],
        baseline: scoreText(s.baseline),
        recent: scoreText(s.latest),
        change: s.change === null ? tb.noChange : formatSigned(s.change, 0),
      };
    }),
  ];
  const baselineHead =
    figures.baseline === null
      ? tb.baseline
      : format(tb.baselineDates, {
          dates: dateRange(figures.baseline.summary.start, figures.baseline.summary.end),
        });
  const recentHead = r === null ? tb.recent : format(tb.recentDates, { dates: dateRange(r.start, r.end) });
  return (
    <table className="report-table report-compare">
      <caption>{tb.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tb.measure}</th>
          <th scope="col">{baselineHead}</th>
          <th scope="col">{recentHead}</th>
          <th scope="col" className="num">
            {tb.change}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-row={row.key}>
            <th scope="row">{row.label}</th>
            <td data-col="baseline">{row.baseline}</td>
            <td data-col="recent">{row.recent}</td>
            <td data-col="change" className="num">
              {row.change}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Medication overuse (ICHD-3 8.2) in the months shown, in plain words. */
function OveruseNote({ figures }: { figures: ReportFigures }) {
  const o = t.report.overuse;
  if (figures.overuse.length === 0) {
    return (
      <p className="report-overuse-none" data-testid="report-overuse">
        {o.none}
      </p>
    );
  }
  return (
    <div className="report-overuse" role="note" data-testid="report-overuse">
      <h3>{o.heading}</h3>
      <ul>
        {figures.overuse.map((rule) => (
          <li key={rule.code}>
            {format(o.line, {
              level: rule.status === 'meets-criteria' ? o.meetsCriteria : o.risk,
              name: rule.name,
              code: rule.code,
              threshold: rule.thresholdDays,
              months: rule.months
                .map((m) =>
                  format(o.month, {
                    month: formatDate(`${m.month}-01`, { month: 'short', year: 'numeric' }),
                    days: m.days,
                  }),
                )
                .join(', '),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}
