import { type FormEvent, useState } from 'react';
import { DAILY_FACTORS } from '../../../src/domain/patient-preferences';
import { api, NetworkError } from '../api/client';
import { useUser } from '../app/session';
import { format, t } from '../i18n/strings';
import { FormErrors, issuesByField, TextField } from '../ui/forms';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { CheckChips, RadioChips } from './capture/Chips';
import { NewMedicationForm } from './capture/NewMedicationForm';
import {
  type CaptureContext,
  hasNeuropathicCondition,
  type Preferences,
  useCaptureContext,
} from './capture/patient-context';
import './capture.css';

/**
 * The patient's diary settings: which factors the daily check-in asks about, how a new attack is
 * rated, which questions the check-in asks, and the usual medicines offered with one tap.
 */
export function SettingsPage(props: { params: Record<string, string> }) {
  void props;
  const user = useUser();
  const patientId = user.patientId ?? '';
  const { context, error, settled, update } = useCaptureContext(patientId);
  const s = t.capture.settings;
  return (
    <div className="capture settings">
      <PageTitle title={s.title}>{s.title}</PageTitle>
      {error !== undefined ? (
        <ErrorView error={error} />
      ) : context === undefined || !settled ? (
        <Loading />
      ) : context.offline ? (
        <ErrorView error={new Error(s.offline)} />
      ) : (
        <SettingsForm key={patientId} patientId={patientId} context={context} onSaved={update} />
      )}
    </div>
  );
}

interface PreferencesAnswer {
  version: number;
  data: Preferences;
}

function SettingsForm({
  patientId,
  context,
  onSaved,
}: {
  patientId: string;
  context: CaptureContext;
  onSaved: (context: CaptureContext) => void;
}) {
  const s = t.capture.settings;
  const [prefs, setPrefs] = useState<Preferences>(context.preferences);
  const [food, setFood] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<Preferences>) => {
    setPrefs((p) => ({ ...p, ...patch }));
    setSaved(false);
  };
  const issues = issuesByField(error);

  const addFood = () => {
    const name = food.trim();
    if (name === '') return;
    set({ foods: [...prefs.foods, name] });
    setFood('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (saving) return;
    setSaving(true);
    setError(undefined);
    try {
      const res = await api.put<PreferencesAnswer>(
        `/patients/${encodeURIComponent(patientId)}/preferences`,
        prefs,
        context.preferencesVersion,
      );
      setSaved(true);
      onSaved({ ...context, preferences: res.body.data, preferencesVersion: res.body.version });
    } catch (err) {
      setError(err instanceof NetworkError ? new Error(s.offline) : err);
    } finally {
      setSaving(false);
    }
  };

  const labels = {
    factors: s.factors,
    foods: s.foods,
    intensityScale: s.scale,
    usualMedications: s.medications,
  };
  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
      {saved && (
        <p className="confirmation" role="status">
          {s.saved}
        </p>
      )}
      <FormErrors error={error} labels={labels} />

      <section className="card">
        <CheckChips
          legend={s.factors}
          hint={s.factorsHint}
          columns={2}
          options={DAILY_FACTORS.map((f) => ({ value: f, label: t.capture.factorLabels[f] }))}
          value={prefs.factors}
          errors={issues.get('factors')}
          onChange={(factors) => set({ factors: DAILY_FACTORS.filter((f) => factors.includes(f)) })}
        />
        {prefs.factors.includes('foods') && (
          <fieldset className="chip-group foods">
            <legend>{s.foods}</legend>
            <p className="hint">{s.foodsHint}</p>
            {prefs.foods.length === 0 ? (
              <p>{s.noFoods}</p>
            ) : (
              <ul className="tag-list">
                {prefs.foods.map((f, i) => (
                  <li key={f}>
                    <span>{f}</span>
                    {issues.get(`foods.${i}`) && (
                      <span className="field-error"> {issues.get(`foods.${i}`)!.join('; ')}</span>
                    )}
                    <button type="button" onClick={() => set({ foods: prefs.foods.filter((x) => x !== f) })}>
                      {format(s.foodRemove, { name: f })}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div className="inline-add">
              <TextField
                label={s.foodName}
                value={food}
                onChange={(e) => setFood(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addFood();
                  }
                }}
              />
              <button type="button" onClick={addFood}>
                {s.foodAdd}
              </button>
            </div>
          </fieldset>
        )}
      </section>

      <section className="card">
        <RadioChips
          name="intensityScale"
          legend={s.scale}
          columns={1}
          options={[
            { value: 'levels', label: s.scaleLevels },
            { value: 'numbers', label: s.scaleNumbers },
          ]}
          value={prefs.intensityScale}
          errors={issues.get('intensityScale')}
          onChange={(intensityScale) => set({ intensityScale })}
        />
      </section>

      <section className="card">
        <CheckChips
          legend={s.questions}
          columns={1}
          options={[
            { value: 'askPreventive', label: s.askPreventive },
            ...(hasNeuropathicCondition(context.conditions)
              ? [{ value: 'askNeuropathicPain' as const, label: s.askNeuropathicPain }]
              : []),
          ]}
          value={(['askPreventive', 'askNeuropathicPain'] as const).filter((k) => prefs[k])}
          onChange={(on) =>
            set({ askPreventive: on.includes('askPreventive'), askNeuropathicPain: on.includes('askNeuropathicPain') })
          }
        />
      </section>

      <section className="card" aria-labelledby="usual-title">
        <h2 id="usual-title">{s.medications}</h2>
        <p className="hint">{s.medicationsHint}</p>
        {prefs.usualMedications.length === 0 ? (
          <p>{s.noMedications}</p>
        ) : (
          <ul className="tag-list">
            {prefs.usualMedications.map((m, i) => {
              const name = `${m.name}${m.doseMg === undefined ? '' : ` ${m.doseMg} mg`}`;
              const problems = [...issues.entries()].filter(([k]) => k.startsWith(`usualMedications.${i}`));
              return (
                <li key={`${name}-${i}`}>
                  <span>
                    {name} · {t.capture.medClasses[m.class]}
                  </span>
                  {problems.length > 0 && (
                    <span className="field-error"> {problems.flatMap(([, v]) => v).join('; ')}</span>
                  )}
                  <button
                    type="button"
                    onClick={() => set({ usualMedications: prefs.usualMedications.filter((_, j) => j !== i) })}
                  >
                    {format(t.capture.attack.medRemove, { name })}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <NewMedicationForm
          title={s.medAdd}
          hideTitle
          addLabel={s.medAdd}
          onAdd={(m) => set({ usualMedications: [...prefs.usualMedications, m] })}
        />
      </section>

      <div className="save-bar">
        <div className="button-row">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? t.common.saving : s.save}
          </button>
        </div>
      </div>
    </form>
  );
}
