import { useCallback, useEffect, useState } from 'react';
import { newId } from '../api/client';
import { Link } from '../app/router';
import { useUser } from '../app/session';
import { format, formatDate, formatTime, t } from '../i18n/strings';
import { OutboxStatus } from '../offline/OutboxStatus';
import { saveEntry, useOutbox } from '../offline/outbox';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { intensityText, sinceText, spanText } from './capture/attack-text';
import { datesCovered, loadDayRecords } from './capture/day-records';
import { type AttackBody, type DailyRecordBody, loadEntries, type Shown } from './capture/entries';
import { HeadacheNow } from './capture/HeadacheNow';
import { daysBefore, nowInstant, todayIn, wallClockOf, yesterdayOf } from './capture/instants';
import { type CaptureContext, useCaptureContext } from './capture/patient-context';
import './capture.css';

/**
 * The patient's start page, made for a bad moment: "Headache now" first (two taps to a saved
 * attack), then attacks still going on with a one-tap end, today's entries and the check-in.
 */
export function TodayPage(props: { params: Record<string, string> }) {
  void props;
  const user = useUser();
  const patientId = user.patientId;
  const s = t.capture.today;
  if (patientId === null) {
    return (
      <>
        <PageTitle title={s.title}>{s.title}</PageTitle>
        <ErrorView error={new Error(t.common.errors.notFound)} />
      </>
    );
  }
  return <Today patientId={patientId} />;
}

interface TodayData {
  today: string;
  attacks: Shown<AttackBody>[];
  checkIn: Shown<DailyRecordBody> | null;
}

function useToday(patientId: string, context: CaptureContext | undefined) {
  const [data, setData] = useState<TodayData>();
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  const outbox = useOutbox(patientId);
  const timeZone = context?.timeZone;
  useEffect(() => {
    if (timeZone === undefined) return;
    const controller = new AbortController();
    const today = todayIn(timeZone);
    // A week back: an attack that is still going on shows however long ago it started.
    const from = daysBefore(today, 6);
    Promise.all([
      loadEntries<AttackBody>(patientId, 'attack', from, today, controller.signal),
      loadDayRecords(patientId, today, today, controller.signal),
    ]).then(
      ([attacks, records]) => {
        setData({
          today,
          attacks: attacks.items.sort((a, b) => Date.parse(a.data.start) - Date.parse(b.data.start)),
          checkIn: records.find((r) => r.data.date === today) ?? null,
        });
        setError(undefined);
      },
      (e: Error) => {
        if (e.name !== 'AbortError') setError(e);
      },
    );
    return () => controller.abort();
    // The outbox's counts change when an entry is sent or refused: show the new state.
  }, [patientId, timeZone, generation, outbox.waiting, outbox.rejected.length]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, reload };
}

function Today({ patientId }: { patientId: string }) {
  const s = t.capture.today;
  const { context, error: contextError } = useCaptureContext(patientId);
  const { data, error, reload } = useToday(patientId, context);
  const [earlierId] = useState(newId);

  return (
    <div className="capture today">
      <PageTitle title={s.title}>{s.title}</PageTitle>
      {data && (
        <p className="today-date">{formatDate(data.today, { weekday: 'long', day: 'numeric', month: 'long' })}</p>
      )}
      {contextError !== undefined && <ErrorView error={contextError} />}
      {context === undefined && contextError === undefined && <Loading />}
      {context !== undefined && (
        <HeadacheNow
          patientId={patientId}
          timeZone={context.timeZone}
          scale={context.preferences.intensityScale}
          onChange={reload}
        />
      )}
      {error !== undefined && <ErrorView error={error} onRetry={reload} />}
      {context !== undefined && data !== undefined && (
        <>
          <Ongoing patientId={patientId} timeZone={context.timeZone} data={data} onChange={reload} />
          <CheckInStatus timeZone={context.timeZone} data={data} />
          <TodaysEntries timeZone={context.timeZone} data={data} />
          <p>
            <Link to={`/attacks/${earlierId}`}>{s.earlierAttack}</Link>
          </p>
        </>
      )}
      <OutboxStatus patientId={patientId} />
    </div>
  );
}

function pendingNote(entry: Shown<unknown>): string | null {
  if (entry.pending === 'rejected') return t.capture.today.rejected;
  if (entry.pending !== null) return t.capture.today.waiting;
  return null;
}

function Ongoing({
  patientId,
  timeZone,
  data,
  onChange,
}: {
  patientId: string;
  timeZone: string;
  data: TodayData;
  onChange: () => void;
}) {
  const s = t.capture.today;
  const ongoing = data.attacks.filter((a) => a.data.end === undefined);
  const [ended, setEnded] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  if (ongoing.length === 0 && ended === null) return null;

  const stop = async (attack: Shown<AttackBody>) => {
    if (busy !== null) return;
    setBusy(attack.id);
    setError(undefined);
    const now = nowInstant(timeZone);
    // The phone's clock may lag the start it recorded elsewhere: an end never precedes the start.
    const end = Date.parse(now) < Date.parse(attack.data.start) ? attack.data.start : now;
    try {
      await saveEntry({ patientId, kind: 'attack', id: attack.id, body: { ...attack.data, end } });
      setEnded(format(s.stopped, { time: formatTime(end, timeZone) }));
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="ongoing" aria-labelledby="ongoing-title">
      <h2 id="ongoing-title">{s.ongoingTitle}</h2>
      {ended !== null && (
        <p className="confirmation" role="status">
          {ended}
        </p>
      )}
      {error !== undefined && <ErrorView error={error} />}
      <ul className="entry-list">
        {ongoing.map((a) => (
          <li key={a.id} className="card ongoing-attack">
            <p className="entry-title">
              {sinceText(a.data.start, timeZone, data.today, yesterdayOf(data.today))} · {intensityText(a.data)}
              {pendingNote(a) !== null && <span className="entry-note"> · {pendingNote(a)}</span>}
            </p>
            <div className="button-row">
              <button type="button" className="primary" disabled={busy !== null} onClick={() => void stop(a)}>
                {s.stoppedNow}
              </button>
              <Link className="button" to={`/attacks/${encodeURIComponent(a.id)}`}>
                {s.addDetails}
              </Link>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CheckInStatus({ timeZone, data }: { timeZone: string; data: TodayData }) {
  const s = t.capture.today;
  const done = data.checkIn;
  // An attack logged since outweighs the check-in's "no headache" (corrected when it was saved).
  const headacheFree =
    done?.data.noHeadache === true &&
    !data.attacks.some(
      (a) => a.data.intensityLevel !== 'none' && datesCovered(a.data, timeZone, data.today).includes(data.today),
    );
  return (
    <section className="card check-in-status" aria-labelledby="check-in-title">
      <h2 id="check-in-title">{s.checkInTitle}</h2>
      <p>
        {done === null ? s.checkInOpen : headacheFree ? s.checkInDoneHeadacheFree : s.checkInDone}
        {done !== null && pendingNote(done) !== null && <span className="entry-note"> ({pendingNote(done)})</span>}
      </p>
      <Link className={done === null ? 'button primary' : 'button'} to="/check-in">
        {done === null ? s.checkInStart : s.checkInEdit}
      </Link>
    </section>
  );
}

function TodaysEntries({ timeZone, data }: { timeZone: string; data: TodayData }) {
  const s = t.capture.today;
  // Attacks of today that are over: started today, or ended today after starting earlier.
  const entries = data.attacks.filter(
    (a) =>
      a.data.end !== undefined &&
      (wallClockOf(a.data.start, timeZone).date === data.today ||
        wallClockOf(a.data.end, timeZone).date === data.today),
  );
  // With an attack going on and nothing else, "nothing logged" would read wrong.
  if (entries.length === 0 && data.attacks.some((a) => a.data.end === undefined)) return null;
  return (
    <section className="todays-entries" aria-labelledby="entries-title">
      <h2 id="entries-title">{s.entriesTitle}</h2>
      {entries.length === 0 ? (
        <p className="hint">{s.noEntries}</p>
      ) : (
        <ul className="entry-list">
          {entries.map((a) => (
            <li key={a.id}>
              <Link className="entry-link" to={`/attacks/${encodeURIComponent(a.id)}`}>
                <span>
                  {spanText(a.data, timeZone, data.today)} · {intensityText(a.data)}
                </span>
                {pendingNote(a) !== null && <span className="entry-note">{pendingNote(a)}</span>}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
