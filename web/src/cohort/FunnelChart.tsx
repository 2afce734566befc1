import { useCallback, useId, useMemo } from 'react';
import type { Funnel, FunnelUnit } from '../../../src/domain/cohort-stats';
import { binomialFunnelLimits } from '../../../src/stats/funnel';
import { Chart, type PlotModule } from '../charts/lazy';
import { format, t } from '../i18n/strings';
import { type Column, CohortSection, DataTable } from './DataTable';
import { percent } from './format';

const s = t.cohort.funnel;

type Placement = 'inside' | 'outside95' | 'outside998';

/** Where a unit lies, shown by shape as well as colour. */
function placement(u: FunnelUnit): Placement {
  if (u.position998 !== 'inside') return 'outside998';
  if (u.position95 !== 'inside') return 'outside95';
  return 'inside';
}

const PLACEMENTS: Placement[] = ['inside', 'outside95', 'outside998'];
const SHAPES = ['circle', 'triangle', 'square'];
const COLOURS = ['#2f7d74', '#9a6500', '#b3261e'];

const position = (p: string) => s.positions[p] ?? p;

const columns: Column<FunnelUnit>[] = [
  { header: s.columns.unit, value: (u) => u.unit },
  { header: s.columns.x, value: (u) => u.x, numeric: true },
  { header: s.columns.n, value: (u) => u.n, numeric: true },
  { header: s.columns.rate, value: (u) => u.rate, show: (u) => percent(u.rate), numeric: true },
  { header: s.columns.lower95, value: (u) => u.lower95, show: (u) => percent(u.lower95), numeric: true },
  { header: s.columns.upper95, value: (u) => u.upper95, show: (u) => percent(u.upper95), numeric: true },
  { header: s.columns.lower998, value: (u) => u.lower998, show: (u) => percent(u.lower998), numeric: true },
  { header: s.columns.upper998, value: (u) => u.upper998, show: (u) => percent(u.upper998), numeric: true },
  { header: s.columns.position95, value: (u) => u.position95, show: (u) => position(u.position95) },
  { header: s.columns.position998, value: (u) => u.position998, show: (u) => position(u.position998) },
];

/** The limits as curves over n = 1 … the largest n and a little more (at most 200 points). */
function limitCurves(p0: number, maxN: number) {
  const top = Math.max(2, Math.ceil(maxN * 1.08));
  const step = Math.max(1, Math.floor(top / 200));
  const l95: { n: number; value: number; side: string }[] = [];
  const l998: { n: number; value: number; side: string }[] = [];
  for (let n = 1; n <= top; n += step) {
    const a = binomialFunnelLimits(p0, n, 0.95);
    const b = binomialFunnelLimits(p0, n, 0.998);
    l95.push({ n, value: a.lower, side: 'lower' }, { n, value: a.upper, side: 'upper' });
    l998.push({ n, value: b.lower, side: 'lower' }, { n, value: b.upper, side: 'upper' });
  }
  return { l95, l998, top };
}

/**
 * Funnel plot of the 50 % responder rate per surgeon or per site at the compared window, with the
 * whole cohort's rate and its 95 % and 99.8 % limits (Spiegelhalter, Stat Med 2005;24:1185).
 */
export function FunnelChart({
  funnels,
  by,
  window,
  onChange,
}: {
  funnels: readonly Funnel[];
  by: 'surgeon' | 'site';
  window: string;
  onChange: (by: 'surgeon' | 'site') => void;
}) {
  const name = useId();
  const funnel = funnels.find((f) => f.by === by);
  const unitWord = s.unitWord[by]!;
  const units = useMemo(() => funnel?.units ?? [], [funnel]);
  const p0 = funnel?.rate ?? null;
  const build = useCallback(
    (Plot: PlotModule, width: number) => {
      const maxN = Math.max(1, ...units.map((u) => u.n));
      const { l95, l998, top } = limitCurves(p0 ?? 0, maxN);
      const points = units.map((u) => ({ ...u, placement: s.shapes[placement(u)] }));
      // Units at the same point share one label ("S1, S6"), so that none hides another.
      const labels = new Map<string, { n: number; rate: number; text: string }>();
      for (const u of units) {
        const key = `${u.n}/${u.rate}`;
        const label = labels.get(key);
        if (label) label.text += `, ${u.unit}`;
        else labels.set(key, { n: u.n, rate: u.rate, text: u.unit });
      }
      const legendDomain = PLACEMENTS.map((p) => s.shapes[p]);
      return Plot.plot({
        width,
        height: 380,
        marginLeft: 52,
        marginRight: 28,
        marginBottom: 42,
        x: { domain: [0, top], label: s.x, labelAnchor: 'center' },
        y: { domain: [0, 100], percent: true, grid: true, label: s.y },
        symbol: { domain: legendDomain, range: SHAPES, legend: true },
        color: { domain: legendDomain, range: COLOURS },
        marks: [
          Plot.line(l998, { x: 'n', y: 'value', z: 'side', strokeOpacity: 0.75 }),
          Plot.line(l95, { x: 'n', y: 'value', z: 'side', strokeDasharray: '6,4', strokeOpacity: 0.75 }),
          Plot.ruleY([p0 ?? 0], { stroke: '#2f7d74', strokeWidth: 1.5 }),
          Plot.dot(points, {
            x: 'n',
            y: 'rate',
            symbol: 'placement',
            fill: 'placement',
            stroke: 'white',
            r: 6,
          }),
          Plot.text([p0 ?? 0], {
            x: 0,
            y: (d: number) => d,
            text: () => s.overallLine,
            textAnchor: 'start',
            dx: 4,
            dy: 10,
            fill: '#1f5a53',
          }),
          Plot.text([...labels.values()], {
            x: 'n',
            y: 'rate',
            text: 'text',
            dy: -13,
            fontSize: 12,
            stroke: 'white',
            strokeWidth: 4,
            paintOrder: 'stroke',
            fill: 'currentColor',
          }),
        ],
      });
    },
    [units, p0],
  );
  return (
    <CohortSection id="cohort-funnel" title={s.heading}>
      <p className="hint">{format(s.explain, { window, unit: unitWord })}</p>
      <fieldset className="choices cohort-toggle">
        <legend>{s.of}</legend>
        {(['surgeon', 'site'] as const).map((b) => (
          <label key={b} className="choice">
            <input type="radio" name={name} value={b} checked={by === b} onChange={() => onChange(b)} />
            <span>{s[b]}</span>
          </label>
        ))}
      </fieldset>
      {funnel === undefined || units.length === 0 || p0 === null ? (
        <p className="cohort-empty">{s.noUnits}</p>
      ) : (
        <>
          <Chart build={build} label={format(s.chartLabel, { unit: unitWord })} />
          <p className="cohort-note">
            {format(s.overall, { x: funnel.x, n: funnel.n, rate: percent(p0) })}
            {funnel.unknown > 0 && ` ${format(s.unknown, { n: funnel.unknown })}`}
          </p>
          <DataTable
            caption={format(s.caption, { unit: unitWord, window })}
            columns={columns}
            rows={units}
            filename={`cohort-funnel-${by}s-${funnel.window}.csv`}
          />
        </>
      )}
    </CohortSection>
  );
}
