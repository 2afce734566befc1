import type {
  ComparedGroup,
  GroupComparison,
  PredictorAnalysis,
  PredictorTerm,
} from '../../../src/domain/cohort-stats';
import { format, formatPercent, t } from '../i18n/strings';
import { type Column, CohortSection, DataTable } from './DataTable';
import { decimal, groupName, percent, pValue } from './format';

const c = t.cohort.comparisons;
const p = t.cohort.predictors;

interface ComparedRow extends ComparedGroup {
  reference: boolean;
}

/** A difference of two proportions, in percentage points with its sign. */
const signedPercent = (x: number) => formatPercent(x * 100, 1, true);

const comparedColumns: Column<ComparedRow>[] = [
  {
    header: c.columns.group,
    value: (g) => g.group,
    show: (g) => (g.reference ? `${groupName(g.group)} (${c.reference})` : groupName(g.group)),
  },
  { header: c.columns.x, value: (g) => g.x, numeric: true },
  { header: c.columns.n, value: (g) => g.n, numeric: true },
  { header: c.columns.rate, value: (g) => g.rate, show: (g) => percent(g.rate), numeric: true },
  { header: c.columns.lower, value: (g) => g.lower, show: (g) => percent(g.lower), numeric: true },
  { header: c.columns.upper, value: (g) => g.upper, show: (g) => percent(g.upper), numeric: true },
  {
    header: c.columns.difference,
    value: (g) => g.difference,
    show: (g) => (g.difference === null ? t.cohort.dash : signedPercent(g.difference)),
    numeric: true,
  },
  {
    header: c.columns.differenceLower,
    value: (g) => g.differenceLower,
    show: (g) => (g.differenceLower === null ? t.cohort.dash : signedPercent(g.differenceLower)),
    numeric: true,
  },
  {
    header: c.columns.differenceUpper,
    value: (g) => g.differenceUpper,
    show: (g) => (g.differenceUpper === null ? t.cohort.dash : signedPercent(g.differenceUpper)),
    numeric: true,
  },
];

/** 50 % responders per group at the compared window, each against the reference group (Newcombe). */
export function ComparisonTables({ comparisons, window }: { comparisons: readonly GroupComparison[]; window: string }) {
  return (
    <CohortSection id="cohort-comparisons" title={c.heading}>
      <p className="hint">{format(c.explain, { window })}</p>
      {comparisons.map((cmp) => {
        const rows = cmp.groups.map((g): ComparedRow => ({ ...g, reference: g.group === cmp.reference }));
        return (
          <div key={cmp.by} className="cohort-subsection">
            {rows.every((g) => g.n === 0) ? (
              <p className="cohort-empty">
                {c.by[cmp.by]}: {c.empty}
              </p>
            ) : (
              <DataTable
                caption={`${c.by[cmp.by]} (${window})`}
                columns={comparedColumns}
                rows={rows}
                filename={`cohort-comparison-${cmp.by}-${cmp.window}.csv`}
              />
            )}
            {cmp.unknown > 0 && <p className="cohort-note">{format(c.unknown, { n: cmp.unknown })}</p>}
          </div>
        );
      })}
    </CohortSection>
  );
}

const termColumns: Column<PredictorTerm>[] = [
  { header: p.columns.predictor, value: (r) => r.predictor, show: (r) => r.description },
  { header: p.columns.missing, value: (r) => r.missing, numeric: true },
  {
    header: p.columns.oddsRatio,
    value: (r) => r.oddsRatio,
    show: (r) => decimal(r.oddsRatio, 2),
    numeric: true,
  },
  { header: p.columns.lower, value: (r) => r.lower, show: (r) => decimal(r.lower, 2), numeric: true },
  { header: p.columns.upper, value: (r) => r.upper, show: (r) => decimal(r.upper, 2), numeric: true },
  { header: p.columns.p, value: (r) => r.p, show: (r) => pValue(r.p), numeric: true },
];

/** Who benefits: the Firth regression's odds ratios, or why it was not fitted. */
export function PredictorsTable({ predictors, window }: { predictors: PredictorAnalysis; window: string }) {
  return (
    <CohortSection id="cohort-predictors" title={p.heading}>
      <p className="hint">{format(p.explain, { window })}</p>
      <p>
        {format(p.counts, {
          nEvaluable: predictors.nEvaluable,
          n: predictors.n,
          nDropped: predictors.nDropped,
          responders: predictors.responders,
          nonResponders: predictors.nonResponders,
        })}{' '}
        {predictors.eventsPerPredictor !== null &&
          format(p.epp, {
            epp: decimal(predictors.eventsPerPredictor, 1),
            min: predictors.minEventsPerPredictor,
          })}
      </p>
      {predictors.refused !== null && (
        <p className="cohort-refused" role="note">
          {format(p.refused, { reason: capitalise(predictors.refused.replace(/^not fitted: /, '')) })}
        </p>
      )}
      <DataTable
        caption={format(p.caption, { window })}
        columns={termColumns}
        rows={predictors.terms}
        filename={`cohort-predictors-${predictors.window}.csv`}
      />
    </CohortSection>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
