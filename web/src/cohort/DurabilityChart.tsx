import { useCallback, useMemo } from 'react';
import type { DurabilityGroup, DurabilityStatistics, SurvivalPoint } from '../../../src/domain/cohort-stats';
import { Chart, type PlotModule } from '../charts/lazy';
import { format, t } from '../i18n/strings';
import { type Column, CohortSection, DataTable } from './DataTable';
import { decimal, groupName, pValue } from './format';

const s = t.cohort.durability;

/** Curve colours that keep 3:1 against the white card, in an order that keeps neighbours apart. */
const GROUP_COLOURS = ['#1f5fbf', '#b35000', '#2f7d4a', '#8a3fa8', '#a4271b', '#0b6f7a', '#6b5a00', '#4a5866'];

interface CurveRow extends SurvivalPoint {
  group: string;
}

/** Every 90 days, or every 180 when the follow-up is longer than three years. */
export function atRiskTimes(maxTime: number): number[] {
  const step = maxTime > 3 * 365 ? 180 : 90;
  const times: number[] = [];
  for (let day = 0; day <= maxTime; day += step) times.push(day);
  return times;
}

/**
 * Responders still at risk on `day`: those whose time (relapse or censoring) is on that day or
 * later. A curve point's nRisk counts exactly those at its own time, so it is the nRisk of the
 * first point on or after the day (0 after the last).
 */
export function atRiskOn(curve: readonly SurvivalPoint[], day: number): number {
  return curve.find((p) => p.time >= day)?.nRisk ?? 0;
}

const curveColumns: Column<CurveRow>[] = [
  { header: s.columns.group, value: (r) => r.group },
  { header: s.columns.time, value: (r) => r.time, numeric: true },
  { header: s.columns.survival, value: (r) => r.survival, show: (r) => decimal(r.survival, 3), numeric: true },
  { header: s.columns.lower, value: (r) => r.lower, show: (r) => decimal(r.lower, 3), numeric: true },
  { header: s.columns.upper, value: (r) => r.upper, show: (r) => decimal(r.upper, 3), numeric: true },
  { header: s.columns.nRisk, value: (r) => r.nRisk, numeric: true },
  { header: s.columns.nEvent, value: (r) => r.nEvent, numeric: true },
  { header: s.columns.nCensor, value: (r) => r.nCensor, numeric: true },
];

const medianColumns: Column<DurabilityGroup>[] = [
  { header: s.columns.group, value: (g) => g.group, show: (g) => groupName(g.group) },
  { header: s.columns.n, value: (g) => g.n, numeric: true },
  { header: s.columns.events, value: (g) => g.events, numeric: true },
  { header: s.columns.median, value: (g) => g.median, show: (g) => days(g.median), numeric: true },
  { header: s.columns.medianLower, value: (g) => g.medianLower, show: (g) => days(g.medianLower), numeric: true },
  { header: s.columns.medianUpper, value: (g) => g.medianUpper, show: (g) => days(g.medianUpper), numeric: true },
];

/** A median or limit in days; null: the curve (or the limit) stays above 0.5. */
function days(x: number | null): string {
  return x === null ? t.cohort.notReached : decimal(x, 0);
}

interface AtRiskRow {
  group: string;
  counts: number[];
}

/** Kaplan–Meier curves of time to relapse among responders, with bands, censoring marks and numbers at risk. */
export function DurabilityChart({ durability }: { durability: DurabilityStatistics }) {
  const shown = useMemo(() => durability.groups.filter((g) => g.curve.length > 0), [durability]);
  const lastTime = useMemo(() => Math.max(0, ...shown.map((g) => g.curve[g.curve.length - 1]!.time)), [shown]);
  const times = useMemo(() => atRiskTimes(lastTime), [lastTime]);
  const curveRows = useMemo(
    () => shown.flatMap((g) => g.curve.map((p): CurveRow => ({ group: g.group, ...p }))),
    [shown],
  );
  const atRisk = useMemo(
    () => shown.map((g): AtRiskRow => ({ group: g.group, counts: times.map((day) => atRiskOn(g.curve, day)) })),
    [shown, times],
  );
  const atRiskColumns = useMemo(
    (): Column<AtRiskRow>[] => [
      { header: s.columns.group, value: (r) => r.group, show: (r) => groupName(r.group) },
      ...times.map((day, i): Column<AtRiskRow> => ({
        header: format(s.columns.day, { day }),
        value: (r) => r.counts[i],
        numeric: true,
      })),
    ],
    [times],
  );

  const build = useCallback(
    (Plot: PlotModule, width: number) => {
      const names = shown.map((g) => groupName(g.group));
      const rows = curveRows.map((r) => ({ ...r, name: groupName(r.group) }));
      const longest = Math.max(s.atRisk.length, ...names.map((n) => n.length));
      const marginLeft = Math.max(56, Math.round(longest * 6.2) + 30);
      // The numbers at risk sit under the x axis, one row per group, aligned with its ticks.
      const rowTop = 54;
      const rowHeight = 15;
      const atRiskMarks = shown.flatMap((g, i) => {
        const dy = rowTop + rowHeight * (i + 1);
        const swatch = names.length > 1 ? 14 : 0;
        return [
          ...(swatch > 0
            ? [
                Plot.dot([names[i]], {
                  frameAnchor: 'bottom-left',
                  dx: -marginLeft + 8,
                  dy: dy - 1,
                  fill: (d: string) => d,
                  r: 4,
                }),
              ]
            : []),
          Plot.text([names[i]], { frameAnchor: 'bottom-left', textAnchor: 'start', dx: -marginLeft + 4 + swatch, dy }),
          Plot.text(
            times.map((day) => ({ day, n: atRiskOn(g.curve, day) })),
            { x: 'day', text: 'n', frameAnchor: 'bottom', dy },
          ),
        ];
      });
      return Plot.plot({
        width,
        height: 330 + rowHeight * shown.length,
        marginLeft,
        marginRight: 24,
        marginBottom: rowTop + rowHeight * (shown.length + 1) + 6,
        x: {
          domain: [0, Math.max(lastTime, times[times.length - 1]!) * 1.02 || 90],
          ticks: times,
          label: s.x,
          labelAnchor: 'center',
          labelOffset: 34,
        },
        y: { domain: [0, 100], percent: true, grid: true, label: s.y },
        color: { domain: names, range: GROUP_COLOURS, legend: names.length > 1 },
        marks: [
          Plot.areaY(
            rows.filter((r) => r.lower !== null && r.upper !== null),
            {
              x: 'time',
              y1: 'lower',
              y2: 'upper',
              z: 'name',
              fill: 'name',
              fillOpacity: names.length > 1 ? 0.08 : 0.15,
              curve: 'step-after',
            },
          ),
          Plot.ruleY([0.5], { strokeDasharray: '4,4', strokeOpacity: 0.6 }),
          Plot.line(rows, {
            x: 'time',
            y: 'survival',
            z: 'name',
            stroke: 'name',
            strokeWidth: 2,
            curve: 'step-after',
          }),
          Plot.dot(
            rows.filter((r) => r.nCensor > 0),
            { x: 'time', y: 'survival', stroke: 'name', symbol: 'times', r: 3.5 },
          ),
          Plot.text([s.atRisk], {
            frameAnchor: 'bottom-left',
            textAnchor: 'start',
            dx: -marginLeft + 4,
            dy: rowTop,
            fontWeight: 'bold',
          }),
          ...atRiskMarks,
        ],
      });
    },
    [shown, curveRows, times, lastTime],
  );

  const logRank =
    durability.logRankP === null
      ? s.logRankNone
      : format(s.logRank, {
          chi: decimal(durability.logRankChiSquare, 2),
          df: durability.logRankDf ?? 0,
          p: pValue(durability.logRankP),
        });

  return (
    <CohortSection id="cohort-durability" title={s.heading}>
      <p className="hint">{s.explain}</p>
      {shown.length === 0 ? (
        <p className="cohort-empty">{s.noResponders}</p>
      ) : (
        <>
          <figure className="cohort-figure">
            <Chart build={build} label={s.chartLabel} />
            <figcaption>
              <ul className="cohort-caption-list">
                {shown.map((g) => (
                  <li key={g.group}>
                    {format(s.medianLine, {
                      group: groupName(g.group),
                      median:
                        g.median === null
                          ? t.cohort.notReached
                          : format(s.medianDays, {
                              median: days(g.median),
                              lower: days(g.medianLower),
                              upper: days(g.medianUpper),
                            }),
                      n: g.n,
                      events: g.events,
                    })}
                  </li>
                ))}
                {durability.groupBy !== 'none' && <li>{logRank}</li>}
                {durability.unknown > 0 && <li>{format(s.unknown, { n: durability.unknown })}</li>}
              </ul>
            </figcaption>
          </figure>
          <DataTable
            caption={s.atRiskCaption}
            columns={atRiskColumns}
            rows={atRisk}
            filename="cohort-durability-at-risk.csv"
          />
          <DataTable
            caption={s.mediansCaption}
            columns={medianColumns}
            rows={shown}
            filename="cohort-durability-medians.csv"
          />
          <DataTable
            caption={s.curveCaption}
            columns={curveColumns}
            rows={curveRows}
            filename="cohort-durability-curve.csv"
            folded
          />
        </>
      )}
    </CohortSection>
  );
}
