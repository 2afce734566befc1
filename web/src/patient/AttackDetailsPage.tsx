import { type FormEvent, useEffect, useState } from 'react';
import { PAIN_QUALITIES } from '../../../src/domain/diary';
import { ApiError, type FieldIssue } from '../api/client';
import { Link, navigate } from '../app/router';
import { useUser } from '../app/session';
import { format, formatDate, t } from '../i18n/strings';
import { conflictCopy, deleteEntry, saveEntry } from '../offline/outbox';
import { FormErrors, issuesByField, TextAreaField, TextField } from '../ui/forms';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { AuraEditor } from './capture/AuraEditor';
import { CheckChips, RadioChips, YesNo } from './capture/Chips';
import { takeBackHeadacheFree } from './capture/day-records';
import { DateTimeFields, type WallClock } from './capture/DateTimeFields';
import { type AttackBody, loadEntry, type Shown } from './capture/entries';
import { HeadMap, type Region, regionsOf, sitesOf } from './capture/HeadMap';
import { dayAfter, instantOf, nowInstant, wallClockOf } from './capture/instants';
import { MedicationsEditor } from './capture/MedicationsEditor';
import { type CaptureContext, useCaptureContext } from './capture/patient-context';
import './capture.css';

const LEVELS = ['mild', 'moderate', 'severe'] as const;
const NRS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const SYMPTOMS = ['nausea', 'vomiting', 'photophobia', 'phonophobia', 'osmophobia', 'aggravatedByActivity'] as const;
type Symptom = (typeof SYMPTOMS)[number];
const TRIGGER_CHOICES = Object.keys(t.capture.attackTriggers) as (keyof typeof t.capture.attackTriggers)[];

/**
 * The details of one attack, added whenever the patient can: times (an attack may run past
 * midnight), intensity, the sites on the head map, pain quality, symptoms, aura, medication and
 * its effect, triggers and notes. An id that is not in the diary yet starts a new attack.
 */
export function AttackDetailsPage({ params }: { params: Record<string, string> }) {
  const user = useUser();
  const patientId = user.patientId ?? '';
  const attackId = params.attackId ?? '';
  const { context, error: contextError } = useCaptureContext(patientId);
  const [loaded, setLoaded] = useState<{ entry: Shown<AttackBody> | null; conflict: Conflict | null } | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      loadEntry<AttackBody>(patientId, 'attack', attackId, controller.signal),
      conflictCopy(patientId, 'attack', attackId, controller.signal),
    ]).then(
      ([entry, conflict]) => setLoaded({ entry, conflict }),
      (e: Error) => {
        if (e.name !== 'AbortError') setError(e);
      },
    );
    return () => controller.abort();
  }, [patientId, attackId]);

  const s = t.capture.attack;
  const title = loaded?.entry === null ? s.newTitle : s.title;
  if (error !== undefined || contextError !== undefined) {
    return (
      <div className="capture">
        <PageTitle title={s.title}>{s.title}</PageTitle>
        <ErrorView error={error ?? contextError} />
        <Link to="/today">{s.backToToday}</Link>
      </div>
    );
  }
  if (loaded === undefined || context === undefined) return <Loading />;
  return (
    <div className="capture attack-details">
      <PageTitle title={title}>{title}</PageTitle>
      <AttackForm
        key={attackId}
        patientId={patientId}
        id={attackId}
        initial={shownForCorrection(attackId, loaded.entry, loaded.conflict)}
        conflict={loaded.conflict}
        context={context}
      />
    </div>
  );
}

// ---- Correcting an attack the server refused as changed elsewhere (offline/outbox.ts) ----
type Conflict = Awaited<ReturnType<typeof conflictCopy>>;

/** The patient edits the server's copy, so a change made elsewhere is never overwritten unseen. */
function shownForCorrection(id: string, entry: Shown<AttackBody> | null, conflict: Conflict) {
  if (!conflict?.data) return entry;
  return { id, data: conflict.data as AttackBody, pending: 'rejected' as const };
}
// ----

const sameWallClock = (a: WallClock, b: WallClock) => a.date === b.date && a.time === b.time;

/** Removes unset fields and empty lists, so an untouched section adds nothing to the entry. */
function compact(body: AttackBody): AttackBody {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0) || v === '') continue;
    out[k] = v;
  }
  return out as AttackBody;
}

function AttackForm({
  patientId,
  id,
  initial,
  conflict,
  context,
}: {
  patientId: string;
  id: string;
  initial: Shown<AttackBody> | null;
  conflict: Conflict;
  context: CaptureContext;
}) {
  const s = t.capture.attack;
  const { timeZone, preferences } = context;
  const [draft, setDraft] = useState<AttackBody>(() => initial?.data ?? { id, start: nowInstant(timeZone) });
  const [start, setStart] = useState<WallClock>(() => wallClockOf(draft.start, timeZone));
  const [end, setEnd] = useState<WallClock | null>(() =>
    draft.end === undefined ? null : wallClockOf(draft.end, timeZone),
  );
  // The end's date was filled in by the app (the start's): it follows the time typed, so an end
  // earlier in the day than the start is on the next day (an attack over midnight).
  const [endDateAuto, setEndDateAuto] = useState(false);
  // Headache-free check-ins this attack corrected when it was saved (day-records.ts).
  const [takenBack, setTakenBack] = useState<string[]>([]);
  const [regions, setRegions] = useState<Set<Region>>(() => regionsOf(draft.sites, draft.side));
  const [mapTouched, setMapTouched] = useState(false);
  const known = (draft.triggers ?? []).filter((x) => (TRIGGER_CHOICES as string[]).includes(x));
  const [otherTriggers, setOtherTriggers] = useState(() =>
    (draft.triggers ?? []).filter((x) => !(TRIGGER_CHOICES as string[]).includes(x)).join(', '),
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<'sent' | 'queued' | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [exists, setExists] = useState(initial !== null);
  // The server version of the copy shown after a conflict: the first save is made on it.
  const [basedOn, setBasedOn] = useState(conflict?.version);

  const set = (patch: Partial<AttackBody>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(null);
  };
  const issues = issuesByField(error);

  /** The body to save, or the problems that keep it from being one. */
  const build = (): AttackBody | FieldIssue[] => {
    const problems: FieldIssue[] = [];
    // A time left as it was keeps its seconds (the pickers show minutes only).
    const unchanged = (instant: string | undefined, wall: WallClock | null) =>
      instant !== undefined && wall !== null && sameWallClock(wallClockOf(instant, timeZone), wall) ? instant : null;
    const startInstant = unchanged(draft.start, start) ?? instantOf(start.date, start.time, timeZone);
    if (startInstant === null) problems.push({ path: 'body.start', message: s.timeRequired });
    const endInstant =
      end === null ? undefined : (unchanged(draft.end, end) ?? instantOf(end.date, end.time, timeZone));
    if (endInstant === null) problems.push({ path: 'body.end', message: s.timeRequired });
    if (problems.length > 0) return problems;
    const triggers = [
      ...known,
      ...otherTriggers
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '' && !known.includes(x)),
    ];
    const body: AttackBody = { ...draft, id, start: startInstant!, end: endInstant ?? undefined, triggers };
    if (mapTouched) {
      const chosen = sitesOf(regions);
      // A site the map does not show ("other") stays as it was.
      body.sites = [...chosen.sites, ...(draft.sites ?? []).filter((x) => x === 'other')];
      body.side = chosen.side;
    }
    return compact(body);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (saving) return;
    const body = build();
    if (Array.isArray(body)) {
      setError(new ApiError(400, 'invalid', s.timeRequired, body));
      return;
    }
    setSaving(true);
    setError(undefined);
    setTakenBack([]);
    try {
      const result = await saveEntry({ patientId, kind: 'attack', id, body, basedOn });
      setBasedOn(undefined);
      setDraft(body);
      setMapTouched(false);
      setExists(true);
      setSaved(result.state);
      // The attack is saved whatever becomes of the correction.
      const corrected = await takeBackHeadacheFree(patientId, body, timeZone).catch(() => []);
      setTakenBack(corrected.map((r) => r.data.date));
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    setSaving(true);
    try {
      await deleteEntry({ patientId, kind: 'attack', id, basedOn });
      navigate('/today');
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  /**
   * When a medicine logged now was taken, until the patient changes it: now, during an attack that
   * started today and goes on; otherwise the attack's start, so a medicine logged a day later
   * counts on the attack's day, not on the day it was logged (src/domain/days.ts).
   */
  const medicationTime = (): string => {
    const startInstant =
      (sameWallClock(wallClockOf(draft.start, timeZone), start) ? draft.start : null) ??
      instantOf(start.date, start.time, timeZone) ??
      draft.start;
    const now = nowInstant(timeZone);
    const ongoingToday =
      end === null &&
      Date.parse(now) >= Date.parse(startInstant) &&
      wallClockOf(now, timeZone).date === wallClockOf(startInstant, timeZone).date;
    return ongoingToday ? now : startInstant;
  };

  const symptomValue = (k: Symptom) => draft[k];
  const labels = { start: s.start, end: s.end, peakIntensity: s.intensity, notes: s.notes };

  return (
    <form className="attack-form" onSubmit={(e) => void submit(e)} noValidate>
      <p className="today-date">{formatDate(start.date || wallClockOf(draft.start, timeZone).date)}</p>
      <FormErrors error={error} labels={labels} />
      {basedOn !== undefined && (
        <p className="form-errors" role="note">
          {conflict?.data ? t.offline.conflictShown : t.offline.conflictDeleted}
        </p>
      )}

      <section className="card" aria-labelledby="when-title">
        <h2 id="when-title">{s.when}</h2>
        <DateTimeFields legend={s.start} value={start} onChange={setStart} errors={issues.get('start')} />
        {end === null ? (
          <div className="end-ongoing">
            <p>{s.ongoing}</p>
            <div className="button-row wrap">
              <button
                type="button"
                className="primary"
                onClick={() => {
                  // The exact moment is kept (the pickers show minutes only).
                  const now = nowInstant(timeZone);
                  set({ end: Date.parse(now) < Date.parse(draft.start) ? draft.start : now });
                  setEnd(wallClockOf(now, timeZone));
                }}
              >
                {s.stoppedNow}
              </button>
              <button
                type="button"
                onClick={() => {
                  setEnd({ date: start.date, time: '' });
                  setEndDateAuto(true);
                }}
              >
                {s.setEnd}
              </button>
            </div>
            {issues.get('end') && <p className="field-error">{issues.get('end')!.join('; ')}</p>}
          </div>
        ) : (
          <DateTimeFields
            legend={s.end}
            value={end}
            onChange={(next) => {
              if (next.date !== end.date) setEndDateAuto(false);
              else if (endDateAuto && next.time !== '' && start.date !== '') {
                next = { ...next, date: next.time < start.time ? dayAfter(start.date) : start.date };
              }
              setEnd(next);
            }}
            errors={issues.get('end')}
          >
            {end.date !== '' && end.date === dayAfter(start.date) && (
              <p className="hint" role="status">
                {format(s.endsNextDay, { date: formatDate(end.date, { day: 'numeric', month: 'short' }) })}
              </p>
            )}
            <button type="button" onClick={() => setEnd(null)}>
              {s.clearEnd}
            </button>
          </DateTimeFields>
        )}
      </section>

      <section className="card" aria-labelledby="intensity-title">
        <h2 id="intensity-title">{s.intensity}</h2>
        {(preferences.intensityScale === 'levels' || draft.intensityLevel !== undefined) && (
          <RadioChips
            name="intensityLevel"
            legend={<span className="visually-hidden">{s.intensity}</span>}
            columns={3}
            options={LEVELS.map((l) => ({ value: l, label: t.capture.levels[l] }))}
            value={draft.intensityLevel === 'none' ? undefined : draft.intensityLevel}
            errors={issues.get('intensityLevel')}
            onChange={(intensityLevel) => set({ intensityLevel })}
          />
        )}
        {(preferences.intensityScale === 'numbers' || draft.peakIntensity !== undefined) && (
          <RadioChips
            name="peakIntensity"
            legend={s.nrsLegend}
            columns={6}
            dense
            options={NRS.map((n) => ({ value: n, label: String(n) }))}
            value={draft.peakIntensity}
            errors={issues.get('peakIntensity')}
            onChange={(peakIntensity) => set({ peakIntensity })}
          />
        )}
      </section>

      <section className="card" aria-labelledby="where-title">
        <h2 id="where-title">{s.where}</h2>
        <p className="hint">{s.whereHint}</p>
        <HeadMap
          value={regions}
          onChange={(next) => {
            setRegions(next);
            setMapTouched(true);
            setSaved(null);
          }}
        />
      </section>

      <section className="card" aria-labelledby="quality-title">
        <h2 id="quality-title">{s.quality}</h2>
        <CheckChips
          legend={<span className="visually-hidden">{s.quality}</span>}
          options={PAIN_QUALITIES.map((q) => ({ value: q, label: t.capture.qualities[q] }))}
          value={draft.quality ?? []}
          onChange={(quality) => set({ quality })}
        />
      </section>

      <section className="card" aria-labelledby="symptoms-title">
        <h2 id="symptoms-title">{s.symptoms}</h2>
        <div className="yes-no-list">
          {SYMPTOMS.map((k) => (
            <YesNo
              key={k}
              name={k}
              legend={t.capture.symptoms[k]}
              value={symptomValue(k)}
              errors={issues.get(k)}
              onChange={(v) => set({ [k]: v })}
            />
          ))}
        </div>
      </section>

      <section className="card" aria-label={s.aura}>
        <AuraEditor value={draft.aura ?? []} onChange={(aura) => set({ aura })} issues={issues} />
      </section>

      <section className="card" aria-labelledby="medications-title">
        <h2 id="medications-title">{s.medications}</h2>
        <MedicationsEditor
          value={draft.medications ?? []}
          onChange={(medications) => set({ medications })}
          usual={preferences.usualMedications}
          timeZone={timeZone}
          defaultTakenAt={medicationTime}
          issues={issues}
        />
      </section>

      <section className="card" aria-labelledby="triggers-title">
        <h2 id="triggers-title">{s.triggers}</h2>
        <CheckChips
          legend={<span className="visually-hidden">{s.triggers}</span>}
          options={TRIGGER_CHOICES.map((k) => ({ value: k, label: t.capture.attackTriggers[k] }))}
          value={known}
          onChange={(chosen) =>
            set({
              triggers: [
                ...chosen,
                ...(draft.triggers ?? []).filter((x) => !(TRIGGER_CHOICES as string[]).includes(x)),
              ],
            })
          }
        />
        <TextField
          label={s.triggersOther}
          value={otherTriggers}
          onChange={(e) => {
            setOtherTriggers(e.target.value);
            setSaved(null);
          }}
        />
      </section>

      <section className="card" aria-labelledby="notes-title">
        <h2 id="notes-title">{s.notes}</h2>
        <TextAreaField
          label={<span className="visually-hidden">{s.notes}</span>}
          rows={3}
          value={draft.notes ?? ''}
          errors={issues.get('notes')}
          onChange={(e) => set({ notes: e.target.value })}
        />
      </section>

      <div className="save-bar">
        {saved !== null && (
          <p className="confirmation" role="status">
            {saved === 'sent' ? s.saved : s.savedQueued}
            {takenBack.length > 0 && (
              <span className="taken-back">
                {' '}
                {takenBack.length === 1
                  ? format(s.headacheFreeTakenBack, { date: formatDate(takenBack[0]!) })
                  : format(s.headacheFreeTakenBackDays, { dates: takenBack.map((d) => formatDate(d)).join(', ') })}
              </span>
            )}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? t.common.saving : s.save}
          </button>
          <Link className="button" to="/today">
            {s.backToToday}
          </Link>
        </div>
      </div>

      {exists && (
        <section className="delete-attack">
          {confirmDelete ? (
            <div role="group" aria-label={s.confirmDelete}>
              <p>{s.confirmDelete}</p>
              <div className="button-row">
                <button type="button" className="danger" disabled={saving} onClick={() => void remove()}>
                  {s.confirmDeleteYes}
                </button>
                <button type="button" onClick={() => setConfirmDelete(false)}>
                  {s.confirmDeleteNo}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              {s.delete}
            </button>
          )}
        </section>
      )}
    </form>
  );
}
