import type { TriggerVerdict } from '../../../../src/domain/triggers';
import { format, formatNumber, t } from '../../i18n/strings';
import { factorPhrase, factorTitle, ratio, triggerSentences } from './trigger-text';
import type { Analysis } from './types';

const VERDICT_ORDER: TriggerVerdict[] = ['trigger', 'protector', 'no-association', 'insufficient-data'];

/** The patient's own triggers: each factor's verdict at lag 1 (the day before), in plain words. */
export function MyTriggers({ analysis }: { analysis: Analysis }) {
  const s = t.insight.triggers;
  const cfg = analysis.config.triggers;
  const primary = analysis.triggers.filter((r) => r.lag === 1);
  const groups = VERDICT_ORDER.map((verdict) => ({
    verdict,
    rows: primary.filter((r) => r.verdict === verdict),
  })).filter((g) => g.rows.length > 0);
  return (
    <section className="card insight-triggers" aria-labelledby="triggers-title">
      <h2 id="triggers-title">{s.title}</h2>
      <p className="hint">{s.intro}</p>
      {primary.length === 0 && <p>{s.none}</p>}
      {groups.map((g) => (
        <div key={g.verdict} className="trigger-group">
          <h3>{s.groups[g.verdict]}</h3>
          <ul className="trigger-list">
            {g.rows.map((r) => (
              <li key={r.factor} data-factor={r.factor} data-verdict={r.verdict}>
                <p className="trigger-name">
                  <strong>{factorTitle(r.factor)}</strong>{' '}
                  <span className={`verdict verdict-${r.verdict}`}>
                    <VerdictMark verdict={r.verdict} /> {s.verdict[r.verdict]}
                  </span>
                </p>
                {triggerSentences(r, analysis.triggerAnalysis, cfg).map((sentence, i) => (
                  <p key={i} className="trigger-text">
                    {sentence}
                  </p>
                ))}
                {r.oddsRatio !== null && r.ciLower !== null && r.ciUpper !== null && (
                  <details className="trigger-numbers">
                    <summary>{s.numbers}</summary>
                    <p className="hint">
                      {format(s.numbersOr, {
                        or: ratio(r.oddsRatio),
                        lower: ratio(r.ciLower),
                        upper: ratio(r.ciUpper),
                        q: r.q === null ? '–' : formatNumber(r.q, 3),
                      })}{' '}
                      {format(s.numbersCounts, {
                        a: r.exposedOnsets,
                        b: r.exposedDays,
                        factor: factorPhrase(r.factor),
                        c: r.onsets,
                        d: r.atRiskDays,
                      })}
                    </p>
                  </details>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <p className="trigger-caveat">{s.caveat}</p>
    </section>
  );
}

/** A shape per verdict, so that colour is not the only cue. */
function VerdictMark({ verdict }: { verdict: TriggerVerdict }) {
  const mark = { trigger: '▲', protector: '▼', 'no-association': '=', 'insufficient-data': '?' }[verdict];
  return <span aria-hidden="true">{mark}</span>;
}
