import { useCallback, useId, useMemo, useState } from 'react';
import type { ChangeStatistics, WindowStatistics } from '../../../src/domain/cohort-stats';
import { Chart, type PlotModule } from '../charts/lazy';
import { format, t } from '../i18n/strings';
import { type Column, CohortSection, DataTable } from './DataTable';
import { decimal, percent, pValue, twoLines, windowName } from './format';

const s = t.cohort.change;

const MEASURES = ['mmdChange', 'midasChange', 'hit6Change'] as const;
type Measure = (typeof MEASURES)[number];

interface ChangeRow extends ChangeStatistics {
  visitId: string;
  window: string;
}

const columns: Column<ChangeRow>[] = [
  { header: s.columns.window, value: (r) => r.visitId, show: (r) => r.window },
  { header: s.columns.n, value: (r) => r.n, numeric: true },
  { header: s.columns.mean, value: (r) => r.mean, show: (r) => decimal(r.mean, 2), numeric: true },
  { header: s.columns.meanLower, value: (r) => r.meanLower, show: (r) => decimal(r.meanLower, 2), numeric: true },
  { header: s.columns.meanUpper, value: (r) => r.meanUpper, show: (r) => decimal(r.meanUpper, 2), numeric: true },
  { header: s.columns.sd, value: (r) => r.sd, show: (r) => decimal(r.sd, 2), numeric: true },
  { header: s.columns.median, value: (r) => r.median, show: (r) => decimal(r.median, 2), numeric: true },
  {
    header: s.columns.hodgesLehmann,
    value: (r) => r.hodgesLehmann,
    show: (r) => decimal(r.hodgesLehmann, 2),
    numeric: true,
  },
  {
    header: s.columns.hodgesLehmannLower,
    value: (r) => r.hodgesLehmannLower,
    show: (r) => decimal(r.hodgesLehmannLower, 2),
    numeric: true,
  },
  {
    header: s.columns.hodgesLehmannUpper,
    value: (r) => r.hodgesLehmannUpper,
    show: (r) => decimal(r.hodgesLehmannUpper, 2),
    numeric: true,
  },
  {
    header: s.columns.hodgesLehmannLevel,
    value: (r) => r.hodgesLehmannLevel,
    show: (r) => percent(r.hodgesLehmannLevel),
    numeric: true,
  },
  { header: s.columns.wilcoxonP, value: (r) => r.wilcoxonP, show: (r) => pValue(r.wilcoxonP), numeric: true },
];

/**
 * Change from baseline per window (MMD, MIDAS or HIT-6): the mean with its t interval and the
 * Hodges–Lehmann median with its interval, whose level may be below the cohort's when too few
 * differences cannot reach it (then said in words under the chart).
 */
export function ChangeChart({ windows, level }: { windows: readonly WindowStatistics[]; level: number }) {
  const [measure, setMeasure] = useState<Measure>('mmdChange');
  const name = useId();
  const measureName = s.measures[measure]!;
  const rows = useMemo(
    () => windows.map((w): ChangeRow => ({ visitId: w.visitId, window: windowName(w.months), ...w[measure] })),
    [windows, measure],
  );
  const lowLevel = rows.filter(
    (r) => r.hodgesLehmannLevel !== null && r.hodgesLehmannLevel < level - 1e-9 && r.hodgesLehmannLower !== null,
  );
  const build = useCallback(
    (Plot: PlotModule, width: number) => {
      const facetOf = (r: ChangeRow) => format(t.cohort.windowWithN, { window: r.window, n: r.n });
      const points = rows.flatMap((r) => [
        { facet: facetOf(r), kind: s.mean, value: r.mean, lower: r.meanLower, upper: r.meanUpper },
        {
          facet: facetOf(r),
          kind: s.hodgesLehmann,
          value: r.hodgesLehmann,
          lower: r.hodgesLehmannLower,
          upper: r.hodgesLehmannUpper,
        },
      ]);
      const known = points.filter((p) => p.value !== null);
      const withInterval = known.filter((p) => p.lower !== null && p.upper !== null);
      const empty = rows.filter((r) => r.n === 0).map((r) => ({ facet: facetOf(r) }));
      const narrow = width < 640;
      const short = (kind: string) => (kind === s.mean ? s.meanShort : s.hodgesLehmannShort);
      return Plot.plot({
        width,
        height: 336,
        marginTop: narrow ? 58 : 46,
        marginLeft: 52,
        marginBottom: 40,
        fx: {
          domain: rows.map(facetOf),
          label: null,
          padding: 0.14,
          axis: 'top',
          tickFormat: narrow ? twoLines : String,
        },
        x: { domain: [s.mean, s.hodgesLehmann], label: null, tickFormat: narrow ? short : String },
        y: { grid: true, label: `${s.y}: ${measureName}`, nice: true },
        symbol: { domain: [s.mean, s.hodgesLehmann], range: ['circle', 'diamond'] },
        marks: [
          Plot.ruleY([0], { strokeOpacity: 0.8 }),
          Plot.ruleX(withInterval, { fx: 'facet', x: 'kind', y1: 'lower', y2: 'upper', strokeWidth: 1.5 }),
          Plot.tickY(withInterval, { fx: 'facet', x: 'kind', y: 'lower', inset: 14 }),
          Plot.tickY(withInterval, { fx: 'facet', x: 'kind', y: 'upper', inset: 14 }),
          Plot.dot(known, { fx: 'facet', x: 'kind', y: 'value', symbol: 'kind', fill: '#2f7d74', r: 5 }),
          Plot.text(empty, { fx: 'facet', frameAnchor: 'middle', text: () => t.cohort.notEnoughData }),
        ],
      });
    },
    [rows, measureName],
  );
  return (
    <CohortSection id="cohort-change" title={s.heading}>
      <p className="hint">{s.explain}</p>
      <fieldset className="choices cohort-toggle">
        <legend>{s.measure}</legend>
        {MEASURES.map((m) => (
          <label key={m} className="choice">
            <input type="radio" name={name} value={m} checked={measure === m} onChange={() => setMeasure(m)} />
            <span>{s.measures[m]}</span>
          </label>
        ))}
      </fieldset>
      <Chart build={build} label={format(s.chartLabel, { measure: measureName })} />
      {lowLevel.length > 0 && (
        <p className="cohort-note">
          {format(s.lowLevel, { windows: lowLevel.map((r) => r.window).join(', '), level: level * 100 })}
        </p>
      )}
      <DataTable
        caption={format(s.caption, { measure: measureName })}
        columns={columns}
        rows={rows}
        filename={`cohort-${measure.replace('Change', '')}-change.csv`}
      />
    </CohortSection>
  );
}
