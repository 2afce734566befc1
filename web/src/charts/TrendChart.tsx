import { useCallback, useId, useMemo, useState } from 'react';
import { DEFAULT_CONFIG } from '../../../src/domain/config';
import type { Outcomes } from '../../../src/domain/outcomes';
import type { MonthSummary, Period28Summary, PeriodSummary } from '../../../src/domain/periods';
import { addDays, daysBetween, firstDayOfMonth } from '../../../src/domain/time';
import { format, formatDate, formatRate, t } from '../i18n/strings';
import { downloadCsv, toCsv, type CsvColumn } from '../ui/csv';
import { Chart, type PlotModule } from './lazy';
import './trend.css';

export type TrendBy = 'month' | 'period28';

export interface TrendChartProps {
  /** `months[]` of `GET /patients/:patientId/analysis`. */
  months: readonly MonthSummary[];
  /** `periods28[]` of the same answer (28-day periods from the reference date). */
  periods28?: readonly Period28Summary[];
  /** `outcomes` of the same answer: its baseline is drawn as a level. */
  outcomes?: Outcomes | null;
  /** Procedure dates (`YYYY-MM-DD`) drawn as vertical rules; `outcomes.referenceDate` when absent. */
  procedureDates?: readonly string[];
  /** Calendar months or 28-day periods; either way, days per 28 recorded days. */
  by?: TrendBy;
  /** Lets the reader switch between months and 28-day periods (when `periods28` is given). */
  switchable?: boolean;
  /** Draws headache days besides migraine days (default true). */
  showHeadacheDays?: boolean;
  /** Height of the plot in pixels. */
  height?: number;
}

type Series = 'migraine' | 'headache' | 'medication';

interface Point {
  x: Date;
  /** The month or period's name, for the point's tooltip. */
  name: string;
  series: Series;
  value: number;
  /** The month or period is over (a rate of one in progress can still change). */
  complete: boolean;
}

interface Row {
  key: string;
  name: string;
  start: string;
  end: string;
  recordedDays: number;
  days: number;
  /** Days per 28 recorded days; null when the diary is not sufficient (a gap in the chart, "not enough diary"). */
  migraine: number | null;
  headache: number | null;
  medication: number | null;
  complete: boolean;
}

const SYMBOL: Record<Series, string> = { migraine: 'circle', headache: 'square', medication: 'triangle' };
const GLYPH: Record<Series, string> = { migraine: '●', headache: '■', medication: '▲' };
/** Line styles, so that series that run together stay apart. */
const DASH: Record<Series, string> = { migraine: 'none', headache: '2,3', medication: '7,4' };

const SERIES_NAME: Record<Series, string> = {
  migraine: t.insight.trend.migraineDays,
  headache: t.insight.trend.headacheDays,
  medication: t.insight.trend.medicationDays,
};

const utc = (date: string) => new Date(`${date}T00:00:00Z`);

/**
 * A month or period as the chart shows it: its per-28-day rates (domain/periods.ts), the same
 * unit as the baseline level, so that months of 28 to 31 days and diaries with a few gaps
 * compare. A period whose diary is not sufficient has no rate: it reads "not enough diary" and
 * leaves a gap, never a 0 (docs/clinical-rules.md, "Periods").
 */
function row(key: string, name: string, p: PeriodSummary): Row {
  return {
    key,
    name,
    start: p.start,
    end: p.end,
    recordedDays: p.recordedDays,
    days: p.days,
    migraine: p.per28?.migraineDays ?? null,
    headache: p.per28?.headacheDays ?? null,
    medication: p.per28?.acuteMedicationDays ?? null,
    complete: p.days === daysBetween(p.start, p.end) + 1,
  };
}

const monthRows = (months: readonly MonthSummary[]): Row[] =>
  months.map((m) => row(m.month, formatDate(firstDayOfMonth(m.month), { month: 'short', year: 'numeric' }), m));

const periodRows = (periods: readonly Period28Summary[]): Row[] =>
  periods.map((p) => row(String(p.index), format(t.insight.trend.periodName, { index: p.index }), p));

/** Colours of the page's theme, read when the chart is drawn (SVG attributes cannot use var()). */
function themeColours() {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#16202a'),
    muted: read('--muted', '#4a5866'),
    border: read('--border', '#c5ced8'),
    bg: read('--surface', '#ffffff'),
    migraine: read('--accent', '#0b5f57'),
    headache: read('--muted', '#4a5866'),
    medication: read('--warning', '#7a5200'),
  };
}

const SUFFICIENT_PERCENT = Math.round(DEFAULT_CONFIG.complianceThreshold * 100);

/**
 * Migraine days, headache days and acute-medication days per 28 recorded days, month by month or
 * per 28-day period, with each procedure date as a vertical rule and the baseline (the 28 days
 * before the procedure, in the same unit) as a dashed level. The numbers are in a table beneath.
 */
export function TrendChart(props: TrendChartProps) {
  const { months, periods28 = [], outcomes = null, switchable = false, showHeadacheDays = true, height = 280 } = props;
  const [chosen, setChosen] = useState<TrendBy>(props.by ?? 'month');
  const switchName = useId();
  const by: TrendBy = chosen === 'period28' && periods28.length > 0 ? 'period28' : 'month';
  const tr = t.insight.trend;
  const procedureKey = (props.procedureDates ?? (outcomes ? [outcomes.referenceDate] : [])).join(',');
  const procedureDates = useMemo(() => (procedureKey === '' ? [] : procedureKey.split(',')), [procedureKey]);
  const rows = useMemo(() => (by === 'month' ? monthRows(months) : periodRows(periods28)), [by, months, periods28]);
  const baselineMigraine = outcomes?.baseline.mmd ?? null;
  const baselineMedication = outcomes?.baseline.summary.per28?.acuteMedicationDays ?? null;
  const series: Series[] = showHeadacheDays ? ['migraine', 'headache', 'medication'] : ['migraine', 'medication'];
  const unit = by === 'month' ? tr.unitMonth : tr.unitPeriod;
  const label = format(tr.label, { unit });
  const seriesKey = series.join(',');

  const build = useCallback(
    (Plot: PlotModule, width: number) => {
      const colour = themeColours();
      const shown = seriesKey.split(',') as Series[];
      const points: Point[] = [];
      // Each series' line, with null where the diary is not sufficient: Plot breaks a line there.
      const lines = new Map<Series, { x: Date; value: number | null }[]>(shown.map((s) => [s, []]));
      for (const r of rows) {
        // A period's point sits in its middle, so a procedure date falls between the right points.
        const x = utc(addDays(r.start, Math.floor((Date.parse(r.end) - Date.parse(r.start)) / 86_400_000 / 2)));
        for (const s of shown) {
          const value = r[s];
          lines.get(s)!.push({ x, value });
          if (value !== null) points.push({ x, name: r.name, series: s, value, complete: r.complete });
        }
      }
      const seriesColour: Record<Series, string> = {
        migraine: colour.migraine,
        headache: colour.headache,
        medication: colour.medication,
      };
      const baselines = [
        { value: baselineMigraine, colour: colour.migraine },
        { value: baselineMedication, colour: colour.medication },
      ].filter((b): b is { value: number; colour: string } => b.value !== null);
      // A label near either edge of the chart runs inwards, so that it is not cut off.
      // Every month or period has its place, one without a value too: shaded, with no point.
      const gaps = rows
        .filter((r) => shown.every((s) => r[s] === null))
        .map((r) => ({ x1: utc(r.start), x2: utc(addDays(r.end, 1)), title: format(tr.gap, { name: r.name }) }));
      const times = [
        ...rows.flatMap((r) => [utc(r.start).getTime(), utc(addDays(r.end, 1)).getTime()]),
        ...procedureDates.map((d) => utc(d).getTime()),
      ];
      const [first, last] = [Math.min(...times), Math.max(...times)];
      const procedures = procedureDates.map((d) => {
        const at = last === first ? 0.5 : (utc(d).getTime() - first) / (last - first);
        const anchor: 'start' | 'middle' | 'end' = at < 0.3 ? 'start' : at > 0.7 ? 'end' : 'middle';
        return { x: utc(d), label: format(tr.procedure, { date: formatDate(d) }), anchor };
      });
      const maxValue = Math.max(4, ...points.map((p) => p.value), ...baselines.map((b) => b.value));
      const chart = Plot.plot({
        width,
        height,
        marginLeft: 36,
        marginRight: 16,
        marginTop: 28,
        marginBottom: 42,
        style: { background: 'transparent', color: colour.text, fontSize: '13px' },
        x: { type: 'utc', label: null, ticks: width < 480 ? 6 : 8, domain: [new Date(first), new Date(last)] },
        y: { label: null, domain: [0, Math.ceil(maxValue * 1.1)], grid: true, nice: true },
        color: { domain: shown, range: shown.map((s) => seriesColour[s]) },
        symbol: { domain: shown, range: shown.map((s) => SYMBOL[s]) },
        marks: [
          Plot.rect(gaps, { x1: 'x1', x2: 'x2', fill: colour.border, fillOpacity: 0.3, title: 'title' }),
          Plot.ruleY([0], { stroke: colour.border }),
          ...baselines.map((b) =>
            Plot.ruleY([b.value], { stroke: b.colour, strokeDasharray: '6,4', strokeWidth: 1.5, strokeOpacity: 0.9 }),
          ),
          Plot.ruleX(procedures, { x: 'x', stroke: colour.text, strokeWidth: 2 }),
          ...(['start', 'middle', 'end'] as const).map((anchor) =>
            Plot.text(
              procedures.filter((p) => p.anchor === anchor),
              {
                x: 'x',
                text: 'label',
                frameAnchor: 'top',
                dy: -16,
                dx: anchor === 'start' ? -4 : anchor === 'end' ? 4 : 0,
                textAnchor: anchor,
                fill: colour.text,
                fontWeight: 600,
              },
            ),
          ),
          ...shown.map((s) =>
            Plot.line(lines.get(s)!, {
              x: 'x',
              y: 'value',
              stroke: seriesColour[s],
              strokeWidth: 2,
              strokeDasharray: DASH[s],
            }),
          ),
          Plot.dot(points, {
            x: 'x',
            y: 'value',
            stroke: 'series',
            symbol: 'series',
            r: 4.5,
            strokeWidth: 2,
            fill: (p: Point) => (p.complete ? seriesColour[p.series] : colour.bg),
            title: (p: Point) => `${p.name}, ${SERIES_NAME[p.series]}: ${formatRate(p.value)}`,
          }),
        ],
      });
      return chart;
    },
    [rows, seriesKey, baselineMigraine, baselineMedication, procedureDates, height, tr],
  );

  if (rows.length === 0) return <p className="trend-empty">{tr.empty}</p>;

  const columns: CsvColumn<Row>[] = [
    { header: by === 'month' ? tr.columns.month : tr.columns.period, value: (r) => r.name },
    { header: tr.columns.from, value: (r) => r.start },
    { header: tr.columns.to, value: (r) => r.end },
    { header: tr.columns.recordedDays, value: (r) => r.recordedDays },
    ...series.map((s) => ({ header: format(tr.columns.per28, { series: SERIES_NAME[s] }), value: (r: Row) => r[s] })),
  ];

  return (
    <figure className="trend-chart">
      {switchable && periods28.length > 0 && (
        <fieldset className="trend-switch no-print">
          <legend>{tr.chooseView}</legend>
          <div className="trend-switch-options">
            {(['month', 'period28'] as const).map((value) => (
              <label key={value} className="choice">
                <input type="radio" name={switchName} checked={by === value} onChange={() => setChosen(value)} />
                {value === 'month' ? tr.byMonth : tr.byPeriod}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <ul className="trend-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s} className={`trend-key-${s}`}>
            <span className="trend-glyph">{GLYPH[s]}</span> {SERIES_NAME[s]}
          </li>
        ))}
        {procedureDates.length > 0 && (
          <li>
            <span className="trend-glyph trend-rule-v" /> {format(tr.procedure, { date: '' }).trim()}
          </li>
        )}
        {baselineMigraine !== null && (
          <li>
            <span className="trend-glyph trend-rule-h" /> {format(tr.baseline, { value: '' }).replace(/:\s*$/, '')}
          </li>
        )}
      </ul>
      <Chart build={build} label={label} />
      <figcaption className="hint">
        {format(tr.incompleteNote, { percent: SUFFICIENT_PERCENT })}
        {baselineMigraine !== null && (
          <>
            {' '}
            {tr.baselineMigraine}: {formatRate(baselineMigraine)}
            {baselineMedication !== null && (
              <>
                ; {tr.baselineMedication}: {formatRate(baselineMedication)}
              </>
            )}
            .
          </>
        )}
      </figcaption>
      <details className="trend-table">
        <summary>{tr.tableSummary}</summary>
        <p className="hint">{format(tr.tableCaption, { percent: SUFFICIENT_PERCENT })}</p>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={tr.tableSummary}>
          <table>
            <thead>
              <tr>
                <th scope="col">{by === 'month' ? tr.columns.month : tr.columns.period}</th>
                <th scope="col" className="num">
                  {tr.columns.recordedDays}
                </th>
                {series.map((s) => (
                  <th key={s} scope="col" className="num">
                    {SERIES_NAME[s]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {outcomes && (
                <tr className="trend-baseline-row">
                  <th scope="row">{tr.baselineRow}</th>
                  <td className="num">
                    {format(tr.recordedOf, {
                      recorded: outcomes.baseline.summary.recordedDays,
                      days: outcomes.baseline.summary.days,
                    })}
                  </td>
                  {series.map((s) => {
                    const per28 = outcomes.baseline.summary.per28;
                    const v =
                      per28 === null
                        ? null
                        : s === 'migraine'
                          ? per28.migraineDays
                          : s === 'headache'
                            ? per28.headacheDays
                            : per28.acuteMedicationDays;
                    return (
                      <td key={s} className="num">
                        {v === null ? tr.notEnough : formatRate(v)}
                      </td>
                    );
                  })}
                </tr>
              )}
              {rows.map((r) => (
                <tr key={r.key} data-key={r.key}>
                  <th scope="row">
                    {r.name}
                    {by === 'period28' && (
                      <span className="hint">
                        {' '}
                        ({formatDate(r.start)} – {formatDate(r.end)})
                      </span>
                    )}
                  </th>
                  <td className="num">{format(tr.recordedOf, { recorded: r.recordedDays, days: r.days })}</td>
                  {series.map((s) => (
                    <td key={s} className="num">
                      {r[s] === null ? tr.notEnough : formatRate(r[s])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <button type="button" className="no-print" onClick={() => downloadCsv(tr.csvName, toCsv(rows, columns))}>
          {t.common.downloadCsv}
        </button>
      </details>
    </figure>
  );
}
