import { useId, useState } from 'react';
import { ACUTE_MEDICATION_CLASSES, classOfDrug } from '../../../../src/domain/medications';
import type { UsualMedication } from '../../../../src/domain/patient-preferences';
import { t } from '../../i18n/strings';
import { SelectField, TextField } from '../../ui/forms';

/**
 * A medicine by name, kind and dose: the kind is found from the name when Relief knows the drug
 * (ICHD-3 8.2 classes, src/domain/medications.ts), and can be chosen otherwise. Used for a
 * medication of an attack and for the patient's usual medicines.
 */
export function NewMedicationForm({
  title,
  hideTitle = false,
  addLabel,
  onAdd,
  onCancel,
  className = '',
}: {
  /** The group's name, shown as its heading unless `hideTitle` (a heading above says it already). */
  title: string;
  hideTitle?: boolean;
  addLabel: string;
  onAdd: (m: UsualMedication) => void;
  onCancel?: () => void;
  className?: string;
}) {
  const s = t.capture.attack;
  const id = useId();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<UsualMedication['class'] | ''>('');
  const [dose, setDose] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = () => {
    const cls = kind === '' ? classOfDrug(name) : kind;
    const doseMg = dose.trim() === '' ? undefined : Number(dose);
    if (name.trim() === '') return setProblem(s.medNameMissing);
    if (cls === undefined) return setProblem(s.medClassMissing);
    if (doseMg !== undefined && !(doseMg > 0)) return setProblem(s.medDoseInvalid);
    onAdd({ name: name.trim(), class: cls, ...(doseMg !== undefined && { doseMg }) });
    setName('');
    setKind('');
    setDose('');
    setProblem(null);
  };
  return (
    <div
      className={`new-medication ${className}`.trim()}
      role="group"
      {...(hideTitle ? { 'aria-label': title } : { 'aria-labelledby': `${id}-title` })}
    >
      {!hideTitle && <h4 id={`${id}-title`}>{title}</h4>}
      {problem !== null && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <TextField
        label={s.medName}
        value={name}
        autoComplete="off"
        onChange={(e) => {
          setName(e.target.value);
          const known = classOfDrug(e.target.value);
          if (known !== undefined) setKind(known);
        }}
      />
      <SelectField
        label={s.medClass}
        value={kind}
        onChange={(e) => setKind(e.target.value as UsualMedication['class'])}
        options={[
          { value: '', label: '—' },
          ...ACUTE_MEDICATION_CLASSES.map((c) => ({ value: c, label: t.capture.medClasses[c] })),
        ]}
      />
      <TextField label={s.medDose} inputMode="decimal" value={dose} onChange={(e) => setDose(e.target.value)} />
      <div className="button-row">
        <button type="button" className={onCancel ? 'primary' : undefined} onClick={add}>
          {addLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t.common.cancel}
          </button>
        )}
      </div>
    </div>
  );
}
