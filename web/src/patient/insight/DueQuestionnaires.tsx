import { Link } from '../../app/router';
import { format, formatDate, t } from '../../i18n/strings';
import type { DueQuestionnaire } from './due';
import { instrumentPath } from './instruments';

/** The questionnaires the care team waits for, each a link to its form. */
export function DueQuestionnaires({ items }: { items: DueQuestionnaire[] }) {
  const d = t.insight.due;
  return (
    <section className="card insight-due" aria-labelledby="due-title">
      <h2 id="due-title">{d.title}</h2>
      {items.length === 0 ? (
        <p>{d.none}</p>
      ) : (
        <ul className="due-list">
          {items.map((item) => (
            <li key={item.instrument} data-instrument={item.instrument}>
              <Link to={instrumentPath(item.instrument)} className="button primary due-link">
                {format(d.open, { instrument: item.instrument })}
              </Link>
              <p className="hint">
                {format(d.item, { instrument: item.instrument, visit: item.visits.join(', ') })}.{' '}
                {format(item.overdue ? d.overdue : d.dueBy, { date: formatDate(item.closes) })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
