import { useCallback, useMemo } from 'react';
import type { WindowStatistics } from '../../../src/domain/cohort-stats';
import { Chart, type PlotModule } from '../charts/lazy';
import { format, t } from '../i18n/strings';
import { type Column, CohortSection, DataTable } from './DataTable';
import { percent, twoLines, windowName } from './format';

const s = t.cohort.responders;

interface ResponderRow {
  visitId: string;
  window: string;
  /** The facet: the window with its n. */
  facet: string;
  threshold: string;
  x: number;
  n: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

/** Bars of the three thresholds; the text of the clinic theme is dark, so the fills are mid-tone. */
const THRESHOLD_COLOURS = ['#2f7d74', '#3f6fb5', '#8a55a8'];

const columns: Column<ResponderRow>[] = [
  { header: s.columns.window, value: (r) => r.visitId, show: (r) => r.window },
  { header: s.columns.threshold, value: (r) => Number(r.threshold), numeric: true },
  { header: s.columns.x, value: (r) => r.x, numeric: true },
  { header: s.columns.n, value: (r) => r.n, numeric: true },
  { header: s.columns.rate, value: (r) => r.rate, show: (r) => percent(r.rate), numeric: true },
  { header: s.columns.lower, value: (r) => r.lower, show: (r) => percent(r.lower), numeric: true },
  { header: s.columns.upper, value: (r) => r.upper, show: (r) => percent(r.upper), numeric: true },
];

/** Responder rates at 50, 75 and 100 % per follow-up window, with Wilson intervals. */
export function RespondersChart({ windows }: { windows: readonly WindowStatistics[] }) {
  const rows = useMemo(
    () =>
      windows.flatMap((w) =>
        w.responders.map((r): ResponderRow => ({
          visitId: w.visitId,
          window: windowName(w.months),
          facet: format(t.cohort.windowWithN, { window: windowName(w.months), n: w.nSufficient }),
          threshold: String(r.threshold),
          x: r.x,
          n: r.n,
          rate: r.rate,
          lower: r.lower,
          upper: r.upper,
        })),
      ),
    [windows],
  );
  const build = useCallback(
    (Plot: PlotModule, width: number) => {
      const facets = [...new Set(rows.map((r) => r.facet))];
      const thresholds = ['50', '75', '100'];
      const known = rows.filter((r) => r.rate !== null);
      const withInterval = known.filter((r) => r.lower !== null && r.upper !== null);
      const empty = rows.filter((r) => r.rate === null && r.threshold === '75');
      // On a narrow screen the window and its n take two lines, and thresholds are bare numbers.
      const narrow = width < 640;
      return Plot.plot({
        width,
        height: 356,
        marginTop: narrow ? 58 : 46,
        marginLeft: 52,
        marginBottom: 46,
        fx: { domain: facets, label: null, padding: 0.14, axis: 'top', tickFormat: narrow ? twoLines : String },
        x: {
          domain: thresholds,
          label: s.x,
          tickFormat: narrow ? String : (d: string) => format(s.threshold, { threshold: d }),
        },
        y: { domain: [0, 100], percent: true, grid: true, label: s.y },
        color: { domain: thresholds, range: THRESHOLD_COLOURS },
        marks: [
          Plot.barY(known, { fx: 'facet', x: 'threshold', y: 'rate', fill: 'threshold', fillOpacity: 0.45 }),
          Plot.ruleX(withInterval, {
            fx: 'facet',
            x: 'threshold',
            y1: 'lower',
            y2: 'upper',
            stroke: 'currentColor',
            strokeWidth: 1.5,
          }),
          Plot.tickY(withInterval, { fx: 'facet', x: 'threshold', y: 'lower', inset: 10, stroke: 'currentColor' }),
          Plot.tickY(withInterval, { fx: 'facet', x: 'threshold', y: 'upper', inset: 10, stroke: 'currentColor' }),
          Plot.dot(known, { fx: 'facet', x: 'threshold', y: 'rate', fill: 'currentColor', r: 2.5 }),
          Plot.text(empty, {
            fx: 'facet',
            x: 'threshold',
            y: 0.5,
            text: () => t.cohort.notEnoughData,
            fill: 'currentColor',
          }),
          Plot.ruleY([0]),
        ],
      });
    },
    [rows],
  );
  return (
    <CohortSection id="cohort-responders" title={s.heading}>
      <p className="hint">{s.explain}</p>
      <Chart build={build} label={s.chartLabel} />
      <DataTable caption={s.caption} columns={columns} rows={rows} filename="cohort-responders.csv" folded />
    </CohortSection>
  );
}
