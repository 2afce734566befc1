import { useState } from 'react';
import { Link } from '../app/router';
import { format, formatDate, formatTime, t } from '../i18n/strings';
import { type Pending, useOutbox } from './outbox';
import './offline.css';

/**
 * One line saying whether the patient's entries reached the server, and the entries the server
 * refused, each with its message and a way to correct or (after confirming) discard it: an entry
 * the user saved never disappears without them deciding so.
 */
export function OutboxStatus({ patientId }: { patientId: string }) {
  const outbox = useOutbox(patientId);
  const s = t.offline;
  let line: string;
  if (!outbox.ready) line = '';
  else if (outbox.waiting > 0 && outbox.signInNeeded) line = format(s.signInNeeded, { n: outbox.waiting });
  else if (outbox.waiting > 0 && outbox.syncing) line = format(s.sending, { n: outbox.waiting });
  else if (outbox.waiting > 0) line = format(s.waiting, { n: outbox.waiting });
  else if (outbox.rejected.length > 0) line = format(s.rejectedCount, { n: outbox.rejected.length });
  else line = s.allSent;
  const tone = !outbox.ready
    ? undefined
    : outbox.waiting > 0
      ? 'outbox-waiting'
      : outbox.rejected.length > 0
        ? 'outbox-problem'
        : 'outbox-ok';
  const lastSent =
    outbox.ready && outbox.waiting === 0 && outbox.rejected.length === 0 && outbox.lastSyncedAt !== null
      ? format(s.lastSent, { time: formatTime(outbox.lastSyncedAt, localZone(), !isToday(outbox.lastSyncedAt)) })
      : null;

  return (
    <section className="outbox" aria-label={s.regionLabel}>
      <div className="outbox-line">
        <p role="status" className={tone}>
          {line}
          {lastSent !== null && <span className="outbox-last">{` · ${lastSent}`}</span>}
        </p>
        {outbox.waiting > 0 && outbox.signInNeeded && (
          <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>{s.signIn}</Link>
        )}
        {outbox.waiting > 0 && !outbox.signInNeeded && !outbox.syncing && outbox.online && (
          <button type="button" onClick={outbox.syncNow}>
            {s.sendNow}
          </button>
        )}
      </div>
      {outbox.rejected.length > 0 && (
        <div className="outbox-rejected">
          <h2>{s.rejectedTitle}</h2>
          <p className="hint">{s.rejectedIntro}</p>
          <ul>
            {outbox.rejected.map((p) => (
              <RejectedEntry key={p.key} entry={p} discard={() => outbox.discard(p.key)} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function RejectedEntry({ entry, discard }: { entry: Pending; discard: () => Promise<void> }) {
  const s = t.offline;
  const [confirming, setConfirming] = useState(false);
  const what = s.kinds[entry.kind];
  const title = entry.body === null ? format(s.deletion, { what }) : what;
  const edit = editPath(entry);
  const conflict = entry.error?.status === 409;
  const issues = entry.error?.issues ?? [];
  // A second check-in for a day that has one (the server names the day's record).
  const sameDay = conflict && typeof entry.error?.details?.existingId === 'string';
  const day = typeof entry.body?.date === 'string' ? formatDate(entry.body.date) : '';
  return (
    <li className="outbox-entry">
      <p className="outbox-entry-title">
        <strong>{title}</strong>{' '}
        <span className="hint">{format(s.savedAt, { time: formatTime(entry.savedAt, localZone(), true) })}</span>
      </p>
      <p className="outbox-error">
        {sameDay
          ? format(s.sameDay, { date: day })
          : conflict
            ? s.conflict
            : issues.length > 0
              ? s.invalid
              : entry.error?.message}
      </p>
      {!conflict && issues.length > 0 && (
        <ul className="outbox-issues">
          {issues.map((i) => (
            <li key={i.path + i.message}>
              {i.path.replace(/^body\./, '')}: {i.message}
            </li>
          ))}
        </ul>
      )}
      {confirming ? (
        <div className="outbox-confirm" role="group" aria-label={s.confirmDiscard}>
          <p>{s.confirmDiscard}</p>
          <button type="button" className="danger" onClick={() => void discard()}>
            {s.confirmYes}
          </button>
          <button type="button" onClick={() => setConfirming(false)} autoFocus>
            {s.confirmNo}
          </button>
        </div>
      ) : (
        <div className="outbox-actions">
          {edit !== null && <Link to={edit}>{s.edit}</Link>}
          <button type="button" onClick={() => setConfirming(true)}>
            {s.discard}
          </button>
        </div>
      )}
    </li>
  );
}

/** Where the patient corrects an entry of this kind (pages merge the entry waiting on the device). */
function editPath(entry: Pending): string | null {
  const body = entry.body ?? {};
  switch (entry.kind) {
    case 'attack':
      return `/attacks/${encodeURIComponent(entry.id)}`;
    case 'daily-record':
      return typeof body.date === 'string' ? `/check-in?date=${body.date}` : '/check-in';
    case 'questionnaire':
      return typeof body.instrument === 'string' ? `/questionnaires/${encodeURIComponent(body.instrument)}` : null;
    case 'medication':
      return null;
  }
}

/** The phone's own zone: these are times the user just lived through on this device. */
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function isToday(instant: string): boolean {
  return new Date(instant).toDateString() === new Date().toDateString();
}
