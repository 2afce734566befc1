import { useState } from 'react';
import type { MedicationIntake } from '../../../../src/domain/diary';
import { MEDICATION_EFFECTS } from '../../../../src/domain/medications';
import { format, t } from '../../i18n/strings';
import { RadioChips } from './Chips';
import { DateTimeFields, type WallClock } from './DateTimeFields';
import { instantOf, wallClockOf } from './instants';
import { NewMedicationForm } from './NewMedicationForm';
import type { Preferences } from './patient-context';

/**
 * The acute medications of an attack: one tap for a usual medicine, or any other with its kind
 * (ICHD-3 8.2 classes, src/domain/medications.ts) and dose; each with the time it was taken
 * (first `defaultTakenAt`, which the patient can change) and how well it helped.
 */
export function MedicationsEditor({
  value,
  onChange,
  usual,
  timeZone,
  defaultTakenAt,
  issues,
}: {
  value: MedicationIntake[];
  onChange: (value: MedicationIntake[]) => void;
  usual: Preferences['usualMedications'];
  timeZone: string;
  /** When a medicine added now was taken, until the patient says otherwise. */
  defaultTakenAt: () => string;
  /** API issues by field (`medications.0.takenAt` …). */
  issues: Map<string, string[]>;
}) {
  const s = t.capture.attack;
  const [adding, setAdding] = useState(false);
  const update = (i: number, patch: Partial<MedicationIntake>) =>
    onChange(value.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const doseText = (m: { doseMg?: number }) => (m.doseMg === undefined ? '' : ` ${m.doseMg} mg`);

  return (
    <div className="medications">
      {value.length === 0 && <p className="hint">{s.medicationsNone}</p>}
      <ul className="medication-list">
        {value.map((m, i) => (
          <li key={i} className="card medication">
            <p className="entry-title">
              {m.name}
              {doseText(m)} · {t.capture.medClasses[m.class]}
            </p>
            <TakenAt
              value={m.takenAt}
              timeZone={timeZone}
              errors={issues.get(`medications.${i}.takenAt`)}
              onChange={(takenAt) => update(i, { takenAt })}
            />
            <RadioChips
              name={`effect-${i}`}
              legend={s.medEffect}
              columns={2}
              options={MEDICATION_EFFECTS.map((e) => ({ value: e, label: t.capture.effects[e] }))}
              value={m.effect}
              errors={issues.get(`medications.${i}.effect`)}
              onChange={(effect) => update(i, { effect })}
            />
            <button type="button" className="danger" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              {format(s.medRemove, { name: m.name })}
            </button>
          </li>
        ))}
      </ul>
      <div className="button-row wrap">
        {usual.map((u) => (
          <button
            key={`${u.name}-${u.doseMg ?? ''}`}
            type="button"
            onClick={() => onChange([...value, { ...u, takenAt: defaultTakenAt() }])}
          >
            {format(s.usualTook, { name: `${u.name}${doseText(u)}` })}
          </button>
        ))}
        {!adding && (
          <button type="button" onClick={() => setAdding(true)}>
            {s.addOther}
          </button>
        )}
      </div>
      {adding && (
        <NewMedicationForm
          className="card"
          title={s.addOther}
          addLabel={s.medAdd}
          onAdd={(m) => {
            onChange([...value, { ...m, takenAt: defaultTakenAt() }]);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </div>
  );
}

/** When a medication was taken: date and time pickers, written as an instant in the patient's zone. */
function TakenAt({
  value,
  timeZone,
  errors,
  onChange,
}: {
  value: string | undefined;
  timeZone: string;
  errors?: string[];
  onChange: (takenAt: string | undefined) => void;
}) {
  // A half-filled date and time stays on screen until it names an instant.
  const [partial, setPartial] = useState<WallClock | null>(null);
  const shown = partial ?? (value === undefined ? { date: '', time: '' } : wallClockOf(value, timeZone));
  return (
    <DateTimeFields
      legend={t.capture.attack.medTime}
      value={shown}
      errors={errors}
      onChange={(next) => {
        const instant = instantOf(next.date, next.time, timeZone);
        setPartial(instant === null ? next : null);
        if (instant !== null) onChange(instant);
      }}
    />
  );
}
