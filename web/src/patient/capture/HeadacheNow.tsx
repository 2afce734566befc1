import { useEffect, useRef, useState } from 'react';
import { newId } from '../../api/client';
import { Link } from '../../app/router';
import { format, formatTime, t } from '../../i18n/strings';
import { deleteEntry, saveEntry } from '../../offline/outbox';
import { ErrorView } from '../../ui/states';
import { intensityText } from './attack-text';
import { restoreDayRecords, takeBackHeadacheFree } from './day-records';
import type { AttackBody, DailyRecordBody, Shown } from './entries';
import { nowInstant } from './instants';

const LEVELS = ['mild', 'moderate', 'severe'] as const;
const NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const DOUBLE_TAP_MS = 700;

type Step =
  | { kind: 'idle' }
  | { kind: 'choosing'; id: string; start: string }
  | { kind: 'saved'; body: AttackBody; queued: boolean }
  | { kind: 'undone' };

/**
 * "Headache now" in two taps: the first fixes the start (now) and the attack's id, the second
 * is the intensity, which saves at once. Then a confirmation with undo, and a way to details.
 */
export function HeadacheNow({
  patientId,
  timeZone,
  scale,
  onChange,
}: {
  patientId: string;
  timeZone: string;
  scale: 'levels' | 'numbers';
  /** Called after the attack was saved or undone. */
  onChange: () => void;
}) {
  const s = t.capture.today;
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const focusRef = useRef<HTMLElement | null>(null);
  const focusTarget = (el: HTMLElement | null) => {
    focusRef.current = el;
  };

  // When the confirmation appeared: the second tap of a double tap on an intensity must not land on
  // "Undo" (or start another attack), which take the intensity buttons' place.
  const shownAt = useRef(0);
  // A headache-free check-in of today the new attack took back (day-records.ts), put back by Undo.
  const takenBack = useRef<Promise<Shown<DailyRecordBody>[]>>(Promise.resolve([]));
  useEffect(() => {
    if (step.kind !== 'idle') focusRef.current?.focus();
  }, [step.kind]);

  const save = async (id: string, start: string, intensity: Partial<AttackBody>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const body: AttackBody = { id, start, ...intensity };
    try {
      const result = await saveEntry({ patientId, kind: 'attack', id, body });
      shownAt.current = Date.now();
      setStep({ kind: 'saved', body, queued: result.state === 'queued' });
      onChange();
      // After the confirmation: the attack counts first, the check-in follows.
      takenBack.current = takeBackHeadacheFree(patientId, body, timeZone).catch(() => []);
      void takenBack.current.then((records) => records.length > 0 && onChange());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const undo = async (id: string) => {
    if (busy || Date.now() - shownAt.current < DOUBLE_TAP_MS) return;
    setBusy(true);
    setError(undefined);
    try {
      await deleteEntry({ patientId, kind: 'attack', id });
      const records = await takenBack.current;
      takenBack.current = Promise.resolve([]);
      // Refused only when changed meanwhile elsewhere: that change then stands.
      await restoreDayRecords(patientId, records).catch(() => undefined);
      setStep({ kind: 'undone' });
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (step.kind === 'choosing') {
    const { id, start } = step;
    return (
      <section className="headache-now choosing" aria-labelledby="how-strong">
        <h2 id="how-strong" tabIndex={-1} ref={focusTarget}>
          {scale === 'levels' ? s.howStrong : s.howStrongNumbers}
        </h2>
        {error !== undefined && <ErrorView error={error} />}
        {scale === 'levels' ? (
          <div className="intensity-levels">
            {LEVELS.map((level) => (
              <button
                key={level}
                type="button"
                className={`intensity intensity-${level}`}
                disabled={busy}
                onClick={() => void save(id, start, { intensityLevel: level })}
              >
                <span className="intensity-name">{t.capture.levels[level]}</span>
                <span className="intensity-hint">{t.capture.levelHints[level]}</span>
              </button>
            ))}
          </div>
        ) : (
          <div className="intensity-numbers">
            {NUMBERS.map((n) => (
              <button
                key={n}
                type="button"
                className="intensity"
                disabled={busy}
                onClick={() => void save(id, start, { peakIntensity: n })}
              >
                {n}
              </button>
            ))}
          </div>
        )}
        <button type="button" className="cancel" disabled={busy} onClick={() => setStep({ kind: 'idle' })}>
          {s.cancel}
        </button>
      </section>
    );
  }

  return (
    <section className="headache-now" aria-label={s.headacheNow}>
      {step.kind === 'saved' && (
        <div className="confirmation" role="status">
          <p tabIndex={-1} ref={focusTarget}>
            <span aria-hidden="true" className="confirmation-mark">
              ✓{' '}
            </span>
            {format(s.started, { time: formatTime(step.body.start, timeZone), intensity: intensityText(step.body) })}
            {step.queued && <span className="hint"> {t.capture.attack.savedQueued}</span>}
          </p>
          <div className="button-row">
            <button type="button" disabled={busy} onClick={() => void undo(step.body.id)}>
              {s.undo}
            </button>
            <Link className="button primary" to={`/attacks/${encodeURIComponent(step.body.id)}`}>
              {s.addDetails}
            </Link>
          </div>
          {error !== undefined && <ErrorView error={error} />}
        </div>
      )}
      {step.kind === 'undone' && (
        <p className="confirmation" role="status" tabIndex={-1} ref={focusTarget}>
          {s.undone}
        </p>
      )}
      <button
        type="button"
        className="headache-now-button"
        aria-describedby="headache-now-hint"
        onClick={() => {
          if (Date.now() - shownAt.current < DOUBLE_TAP_MS) return;
          setStep({ kind: 'choosing', id: newId(), start: nowInstant(timeZone) });
        }}
      >
        {s.headacheNow}
      </button>
      <p className="hint" id="headache-now-hint">
        {s.headacheNowHint}
      </p>
    </section>
  );
}
