import type { AttackResult, DiaryAnalysis } from '../../../../src/domain/analysis';
import type { Criterion, Tri } from '../../../../src/domain/attack-classification';
import type { Diagnosis } from '../../../../src/domain/patient-classification';
import { format, formatDate, t } from '../../i18n/strings';

const s = t.clinicPatients.classification;

/** How many of the first attacks' dates an evidence cell shows. */
const SHOWN_ATTACKS = 3;

export function TriResult({ met }: { met: Tri }) {
  const [cls, text] = met === true ? ['met', s.met] : met === false ? ['not-met', s.notMet] : ['unknown', s.unknown];
  return <span className={`status-badge status-${cls}`}>{text}</span>;
}

function Evidence({
  evidence,
  attackDates,
}: {
  evidence: Diagnosis['criteria'][number]['evidence'];
  attackDates: Map<string, string>;
}) {
  const parts: string[] = [];
  if (evidence.attackIds !== undefined || evidence.count !== undefined) {
    const ids = evidence.attackIds ?? [];
    let text = format(s.attacks, { n: evidence.count ?? ids.length });
    const dates = ids
      .map((id) => attackDates.get(id))
      .filter((d): d is string => d !== undefined)
      .sort()
      .slice(0, SHOWN_ATTACKS)
      .map((d) => formatDate(d));
    if (dates.length > 0) text += ` (${format(s.attackDates, { dates: dates.join(', ') })})`;
    parts.push(text);
  }
  if (evidence.months !== undefined && evidence.months.length > 0) {
    const list = evidence.months.map((m) => formatDate(`${m}-01`, { month: 'short', year: 'numeric' })).join(', ');
    parts.push(format(s.months, { n: evidence.months.length, list }));
  }
  return <>{parts.length === 0 ? s.noEvidence : parts.join('; ')}</>;
}

type PerAttackKey = 'migraineWithoutAura' | 'migraineWithAura' | 'tensionType';

/** The attack criteria each diagnosis's criterion A counts attacks by. */
function perAttackKey(code: string): PerAttackKey | null {
  if (code === '1.1') return 'migraineWithoutAura';
  if (code === '1.2' || code === '1.2.1') return 'migraineWithAura';
  if (code === '2' || code.startsWith('2.')) return 'tensionType';
  return null;
}

/** Per criterion of one attack diagnosis: in how many attacks it is met, not met, unknown. */
function perAttackCounts(attacks: readonly AttackResult[], key: PerAttackKey) {
  const rows = new Map<string, { criterion: Criterion; met: number; notMet: number; unknown: number }>();
  for (const a of attacks) {
    for (const c of a.classification?.[key] ?? []) {
      const row = rows.get(c.id) ?? { criterion: c, met: 0, notMet: 0, unknown: 0 };
      if (c.met === true) row.met++;
      else if (c.met === false) row.notMet++;
      else row.unknown++;
      rows.set(c.id, row);
    }
  }
  return [...rows.values()];
}

function DiagnosisBlock({
  diagnosis,
  attacks,
  attackDates,
}: {
  diagnosis: Diagnosis;
  attacks: readonly AttackResult[];
  attackDates: Map<string, string>;
}) {
  const key = perAttackKey(diagnosis.code);
  const perAttack = key ? perAttackCounts(attacks, key) : [];
  const headingId = `dx-${diagnosis.code.replace(/\W/g, '-')}`;
  return (
    <div className="diagnosis" data-code={diagnosis.code}>
      <h3 id={headingId}>
        <span>
          {diagnosis.code} {diagnosis.name}
        </span>
        <span className={`status-badge status-${diagnosis.status}`}>{s.status[diagnosis.status]}</span>
      </h3>
      <div className="table-scroll">
        <table className="criteria-table criteria-fixed" aria-labelledby={headingId}>
          <colgroup>
            <col className="col-id" />
            <col className="col-text" />
            <col className="col-result" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{s.criterion}</th>
              <th scope="col">{s.text}</th>
              <th scope="col">{s.result}</th>
              <th scope="col">{s.evidence}</th>
            </tr>
          </thead>
          <tbody>
            {diagnosis.criteria.map((c) => (
              <tr key={c.id} data-criterion={c.id}>
                <th scope="row">{c.id}</th>
                <td>{c.description}</td>
                <td>
                  <TriResult met={c.met} />
                </td>
                <td>
                  <Evidence evidence={c.evidence} attackDates={attackDates} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {perAttack.length > 0 && (
        <details>
          <summary>{format(s.perAttack, { code: diagnosis.code })}</summary>
          <ul className="evidence-list">
            {perAttack.map((r) => (
              <li key={r.criterion.id}>
                {format(s.perAttackLine, { id: r.criterion.id, met: r.met, notMet: r.notMet, unknown: r.unknown })}{' '}
                <span className="muted">({r.criterion.description})</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {diagnosis.clinicianMustConfirm.length > 0 && (
        <div className="must-confirm">
          {s.mustConfirm}:
          <ul>
            {diagnosis.clinicianMustConfirm.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The analysis's ICHD-3 diagnoses with each criterion met, not met or unknown, and what it rests on. */
export function Classification({ analysis }: { analysis: DiaryAnalysis }) {
  const c = analysis.classification;
  const attackDates = new Map(analysis.attacks.map((a) => [a.id, a.startDate]));
  const types = Object.entries(c.attackTypes).filter(([, n]) => n > 0);
  return (
    <>
      <p>{s.intro}</p>
      <p>
        <strong>{c.codesMet.length > 0 ? format(s.codesMet, { codes: c.codesMet.join(', ') }) : s.noCodesMet}</strong>
      </p>
      {types.length > 0 && (
        <div className="table-scroll">
          <table className="criteria-table compact-table">
            <caption className="visually-hidden">{s.attackTypes}</caption>
            <thead>
              <tr>
                <th scope="col">{s.attackTypes}</th>
                <th scope="col" className="num">
                  {s.count}
                </th>
              </tr>
            </thead>
            <tbody>
              {types.map(([type, n]) => (
                <tr key={type}>
                  <th scope="row">{s.attackType[type] ?? type}</th>
                  <td className="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {c.diagnoses.map((d) => (
        <DiagnosisBlock key={d.code} diagnosis={d} attacks={analysis.attacks} attackDates={attackDates} />
      ))}
    </>
  );
}
