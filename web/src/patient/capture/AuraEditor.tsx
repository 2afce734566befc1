import { useId } from 'react';
import { type AuraSymptom, AURA_TYPES } from '../../../../src/domain/diary';
import { t } from '../../i18n/strings';
import { TextField } from '../../ui/forms';
import { YesNo } from './Chips';

/**
 * Aura symptoms (ICHD-3 1.2 B types) with what 1.2 C asks of each: how long it lasted, whether it
 * spread gradually over 5 minutes or more, whether it was on one side.
 */
export function AuraEditor({
  value,
  onChange,
  issues,
}: {
  value: AuraSymptom[];
  onChange: (value: AuraSymptom[]) => void;
  issues: Map<string, string[]>;
}) {
  const s = t.capture.attack;
  const id = useId();
  const index = (type: AuraSymptom['type']) => value.findIndex((a) => a.type === type);
  const update = (type: AuraSymptom['type'], patch: Partial<AuraSymptom>) =>
    onChange(value.map((a) => (a.type === type ? { ...a, ...patch } : a)));
  return (
    <fieldset className="aura chip-group" aria-describedby={`${id}-hint`}>
      <legend>{s.aura}</legend>
      <p className="hint" id={`${id}-hint`}>
        {s.auraHint}
      </p>
      {AURA_TYPES.map((type) => {
        const i = index(type);
        const symptom = i === -1 ? undefined : value[i];
        return (
          <div key={type} className={symptom ? 'aura-type aura-on' : 'aura-type'}>
            <label className="chip">
              <input
                type="checkbox"
                checked={symptom !== undefined}
                onChange={(e) =>
                  onChange(e.target.checked ? [...value, { type }] : value.filter((a) => a.type !== type))
                }
              />
              <span className="chip-label">{t.capture.auraTypes[type]}</span>
            </label>
            {symptom && (
              <div className="aura-details">
                <TextField
                  label={s.auraMinutes}
                  inputMode="numeric"
                  value={symptom.durationMinutes === undefined ? '' : String(symptom.durationMinutes)}
                  errors={issues.get(`aura.${i}.durationMinutes`)}
                  onChange={(e) => {
                    const text = e.target.value.trim();
                    const n = Number(text);
                    update(type, { durationMinutes: text === '' || Number.isNaN(n) ? undefined : n });
                  }}
                />
                <YesNo
                  name={`aura-spread-${type}`}
                  legend={s.auraSpread}
                  value={symptom.spreadGradually}
                  onChange={(spreadGradually) => update(type, { spreadGradually })}
                />
                <YesNo
                  name={`aura-side-${type}`}
                  legend={s.auraOneSide}
                  value={symptom.unilateral}
                  onChange={(unilateral) => update(type, { unilateral })}
                />
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
