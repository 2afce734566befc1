import { t } from '../../i18n/strings';
import type { OveruseWarning } from './overuse';

/** Medication-overuse warnings: calm words and a suggestion to talk to the doctor. */
export function OveruseWarnings({ warnings }: { warnings: OveruseWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <section className="card insight-overuse" aria-labelledby="overuse-title">
      <h2 id="overuse-title">{t.insight.overuse.title}</h2>
      {warnings.map((w) => (
        <p key={w.code} data-code={w.code} data-month={w.month}>
          {w.sentences.join(' ')}
        </p>
      ))}
    </section>
  );
}
