import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { MENSTRUATION_FLOWS } from '../../../src/domain/diary';
import { FACTOR_RECORDING, TRIGGER_FOODS_KEY } from '../../../src/domain/patient-preferences';
import { ApiError, newId } from '../api/client';
import { Link, useLocation } from '../app/router';
import { useUser } from '../app/session';
import { format, formatDate, t } from '../i18n/strings';
import { saveEntry } from '../offline/outbox';
import { FormErrors, issuesByField } from '../ui/forms';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { CheckChips, RadioChips, YesNo } from './capture/Chips';
import { rememberDayRecords, loadDayRecords } from './capture/day-records';
import { type AttackBody, type DailyRecordBody, loadEntries, type Shown } from './capture/entries';
import { todayIn } from './capture/instants';
import { type CaptureContext, hasNeuropathicCondition, useCaptureContext } from './capture/patient-context';
import './capture.css';

type FactorValue = boolean | number;
type YesNoFactor = keyof {
  [K in keyof typeof FACTOR_RECORDING as (typeof FACTOR_RECORDING)[K]['kind'] extends 'yes-no' ? K : never]: true;
};

const STRESS_KEY = FACTOR_RECORDING.stress.key;
const SLEEP_KEY = FACTOR_RECORDING.sleep.key;
const NRS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/**
 * The daily check-in, made to take under 30 seconds: a headache-free day in one tap (not offered
 * when an attack covers the day), the factors the patient chose in Settings, the preventive and
 * nerve pain when asked for. One record per day; an edit replaces the day's record.
 */
export function CheckInPage(props: { params: Record<string, string> }) {
  void props;
  const user = useUser();
  const patientId = user.patientId ?? '';
  const { search } = useLocation();
  const { context, error: contextError } = useCaptureContext(patientId);
  const asked = search.get('date');
  const date =
    asked !== null && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : context ? todayIn(context.timeZone) : undefined;
  const [loaded, setLoaded] = useState<{ record: Shown<DailyRecordBody> | null; attacks: number } | undefined>();
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (date === undefined) return;
    const controller = new AbortController();
    Promise.all([
      // Offline too, the day's record the server holds is edited, not doubled (day-records.ts).
      loadDayRecords(patientId, date, date, controller.signal),
      loadEntries<AttackBody>(patientId, 'attack', date, date, controller.signal),
    ]).then(
      ([records, attacks]) =>
        setLoaded({
          record: records.find((r) => r.data.date === date) ?? null,
          attacks: attacks.items.length,
        }),
      (e: Error) => {
        if (e.name !== 'AbortError') setError(e);
      },
    );
    return () => controller.abort();
  }, [patientId, date, generation]);
  const [notice, setNotice] = useState<string | null>(null);
  // Another device saved this day's check-in meanwhile: show it, and say so.
  const otherRecord = useCallback(() => {
    setNotice(t.capture.checkIn.otherRecord);
    setLoaded(undefined);
    setGeneration((g) => g + 1);
  }, []);

  const s = t.capture.checkIn;
  const isToday = context !== undefined && date === todayIn(context.timeZone);
  const title = date === undefined || isToday ? s.title : format(s.titleFor, { date: formatDate(date) });
  return (
    <div className="capture check-in">
      <PageTitle title={title}>{title}</PageTitle>
      {date !== undefined && isToday && (
        <p className="today-date">{formatDate(date, { weekday: 'long', day: 'numeric', month: 'long' })}</p>
      )}
      {notice !== null && (
        <p className="form-errors" role="alert">
          {notice}
        </p>
      )}
      {(error ?? contextError) !== undefined ? (
        <ErrorView error={error ?? contextError} />
      ) : loaded === undefined || context === undefined || date === undefined ? (
        <Loading />
      ) : (
        <CheckInForm
          key={`${date}-${loaded.record?.id ?? 'new'}-${generation}`}
          patientId={patientId}
          date={date}
          context={context}
          record={loaded.record}
          attacks={loaded.attacks}
          onOtherRecord={otherRecord}
        />
      )}
    </div>
  );
}

function CheckInForm({
  patientId,
  date,
  context,
  record,
  attacks,
  onOtherRecord,
}: {
  patientId: string;
  date: string;
  context: CaptureContext;
  record: Shown<DailyRecordBody> | null;
  attacks: number;
  onOtherRecord: () => void;
}) {
  const s = t.capture.checkIn;
  const { preferences } = context;
  const chosen = new Set(preferences.factors);
  const existing = record?.data;
  // The record's id is fixed when the check-in opens, so a retry or a double tap writes it once.
  const [id] = useState(() => record?.id ?? newId());
  const [logAttackId] = useState(newId);
  const [noHeadache, setNoHeadache] = useState(attacks === 0 && existing?.noHeadache === true);
  const [factors, setFactors] = useState<Record<string, FactorValue>>(() => ({ ...existing?.factors }));
  const [menstruation, setMenstruation] = useState(existing?.menstruation);
  const [preventiveTaken, setPreventiveTaken] = useState(existing?.preventiveTaken);
  const [pain, setPain] = useState(existing?.pain);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<'sent' | 'queued' | null>(null);

  const yesNoFactors = (Object.keys(FACTOR_RECORDING) as (keyof typeof FACTOR_RECORDING)[]).filter(
    (f): f is YesNoFactor => FACTOR_RECORDING[f].kind === 'yes-no' && chosen.has(f),
  );
  const yesNoOptions = [
    ...yesNoFactors.map((f) => ({ value: FACTOR_RECORDING[f].key, label: t.capture.factorLabels[f] })),
    ...(chosen.has('foods')
      ? preferences.foods.length > 0
        ? preferences.foods.map((food) => ({ value: food, label: food }))
        : [{ value: TRIGGER_FOODS_KEY, label: t.capture.factorLabels.foods }]
      : []),
  ];
  const askPain = preferences.askNeuropathicPain && hasNeuropathicCondition(context.conditions);
  const isToday = date === todayIn(context.timeZone);
  const change = () => setSaved(null);
  const setFactor = (key: string, value: FactorValue | undefined) => {
    setFactors((f) => {
      const next = { ...f };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return next;
    });
    change();
  };
  // The night before `date`, written on `date`'s record: the trigger analysis compares it with an
  // attack starting that day (lag 0) and the day after (lag 1), as docs/clinical-rules.md
  // ("Personal trigger analysis") reads every factor of a day's record.
  const sleep = factors[SLEEP_KEY];
  const stepSleep = (delta: number) => {
    const base = typeof sleep === 'number' ? sleep : 7.5;
    setFactor(SLEEP_KEY, Math.min(24, Math.max(0, base + delta)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (saving) return;
    // Every chosen yes/no factor is written, "no" included: the trigger analysis then knows the
    // day was not exposed rather than unknown (docs/clinical-rules.md, "Personal trigger analysis").
    const written: Record<string, FactorValue> = { ...factors };
    for (const o of yesNoOptions) written[o.value] = factors[o.value] === true;
    const {
      noHeadache: _n,
      factors: _f,
      menstruation: _m,
      preventiveTaken: _p,
      pain: _pain,
      ...kept
    } = existing ?? {
      date,
    };
    const body: DailyRecordBody = {
      ...kept,
      date,
      ...(noHeadache && attacks === 0 && { noHeadache: true }),
      ...(Object.keys(written).length > 0 && { factors: written }),
      ...(chosen.has('menstruation') && menstruation !== undefined && { menstruation }),
      ...(!chosen.has('menstruation') &&
        existing?.menstruation !== undefined && { menstruation: existing.menstruation }),
      ...(preventiveTaken !== undefined && { preventiveTaken }),
      ...(pain !== undefined && { pain }),
    };
    setSaving(true);
    setError(undefined);
    try {
      const result = await saveEntry({ patientId, kind: 'daily-record', id, body });
      rememberDayRecords(patientId, [{ id, data: body }]);
      setSaved(result.state);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && typeof err.details.existingId === 'string') onOtherRecord();
      else setError(err);
    } finally {
      setSaving(false);
    }
  };

  const issues = issuesByField(error);
  return (
    <form className="check-in-form" onSubmit={(e) => void submit(e)} noValidate>
      <FormErrors error={error} />
      <section className="card" aria-label={t.capture.today.checkInTitle}>
        {attacks > 0 ? (
          <p>{format(s.attacksThatDay, { n: attacks })}</p>
        ) : (
          <label className={noHeadache ? 'chip big-toggle chip-on' : 'chip big-toggle'}>
            <input
              type="checkbox"
              checked={noHeadache}
              onChange={(e) => {
                setNoHeadache(e.target.checked);
                change();
              }}
            />
            <span className="chip-label">{isToday ? s.headacheFree : s.headacheFreeOn}</span>
          </label>
        )}
        {!noHeadache && (
          <p>
            <Link to={`/attacks/${logAttackId}`}>{s.hadHeadache}</Link>
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="factors-title">
        <h2 id="factors-title">{s.factorsTitle}</h2>
        {chosen.size === 0 && (
          <p>
            {s.noFactors} <Link to="/settings">{s.chooseFactors}</Link>
          </p>
        )}
        {chosen.has('stress') && (
          <RadioChips
            name="stress"
            legend={s.stress}
            columns={2}
            options={s.stressLevels.map((label, value) => ({ value, label }))}
            value={typeof factors[STRESS_KEY] === 'number' ? (factors[STRESS_KEY] as number) : undefined}
            errors={issues.get(`factors.${STRESS_KEY}`)}
            onChange={(v) => setFactor(STRESS_KEY, v)}
          />
        )}
        {chosen.has('sleep') && (
          <div className="field sleep">
            <label htmlFor="sleep-hours">{isToday ? s.sleep : format(s.sleepOn, { date: formatDate(date) })}</label>
            <p className="hint" id="sleep-hint">
              {isToday ? s.sleepHint : format(s.sleepHintOn, { date: formatDate(date) })}
            </p>
            <div className="stepper">
              <button type="button" aria-label={s.sleepLess} onClick={() => stepSleep(-0.5)}>
                −
              </button>
              <input
                id="sleep-hours"
                aria-describedby="sleep-hint"
                type="number"
                inputMode="decimal"
                min={0}
                max={24}
                step={0.5}
                value={typeof sleep === 'number' ? String(sleep) : ''}
                onChange={(e) => {
                  const n = Number(e.target.value);
                  setFactor(SLEEP_KEY, e.target.value === '' || Number.isNaN(n) ? undefined : n);
                }}
              />
              <button type="button" aria-label={s.sleepMore} onClick={() => stepSleep(0.5)}>
                +
              </button>
            </div>
          </div>
        )}
        {chosen.has('menstruation') && (
          <RadioChips
            name="menstruation"
            legend={s.menstruation}
            columns={3}
            options={MENSTRUATION_FLOWS.map((f) => ({ value: f, label: s.flows[f] }))}
            value={menstruation}
            errors={issues.get('menstruation')}
            onChange={(v) => {
              setMenstruation(v);
              change();
            }}
          />
        )}
        {yesNoOptions.length > 0 && (
          <CheckChips
            legend={s.hadToday}
            columns={2}
            options={yesNoOptions}
            value={yesNoOptions.filter((o) => factors[o.value] === true).map((o) => o.value)}
            onChange={(on) => {
              for (const o of yesNoOptions) setFactor(o.value, on.includes(o.value));
            }}
          />
        )}
      </section>

      {(preferences.askPreventive || askPain) && (
        <section className="card">
          {preferences.askPreventive && (
            <YesNo
              name="preventiveTaken"
              legend={s.preventive}
              value={preventiveTaken}
              errors={issues.get('preventiveTaken')}
              onChange={(v) => {
                setPreventiveTaken(v);
                change();
              }}
            />
          )}
          {askPain && (
            <RadioChips
              name="pain"
              legend={s.pain}
              columns={6}
              dense
              options={NRS.map((n) => ({ value: n, label: String(n) }))}
              value={pain}
              errors={issues.get('pain')}
              onChange={(v) => {
                setPain(v);
                change();
              }}
            />
          )}
        </section>
      )}

      <div className="save-bar">
        {saved !== null && (
          <p className="confirmation" role="status">
            {saved === 'sent' ? s.saved : s.savedQueued}
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
    </form>
  );
}
