import { type ReactNode, useId } from 'react';
import { t } from '../../i18n/strings';

/**
 * Large tap targets for choices: native radios and checkboxes (keyboard and screen readers work
 * as usual) drawn as big chips; the chosen ones are filled.
 */

export interface ChipOption<V extends string | number> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
}

interface GroupProps {
  legend: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  /** Chips in a grid of this many columns (default: as many as fit). */
  columns?: number;
  /** Short labels (numbers): less padding, centred. */
  dense?: boolean;
  /** Legend and chips on one row (yes/no questions). */
  inline?: boolean;
  children: ReactNode;
}

function ChipGroup({ legend, hint, errors, columns, dense, inline, children }: GroupProps) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  return (
    <fieldset
      className={['chip-group', inline && 'chip-group-inline', errorId && 'field-invalid'].filter(Boolean).join(' ')}
      aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
    >
      <legend>{legend}</legend>
      {hint !== undefined && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors!.join('; ')}
        </p>
      )}
      <div
        className={dense ? 'chips chips-dense' : 'chips'}
        style={columns ? { gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` } : undefined}
      >
        {children}
      </div>
    </fieldset>
  );
}

/** One of several (radios). */
export function RadioChips<V extends string | number>({
  name,
  options,
  value,
  onChange,
  ...group
}: Omit<GroupProps, 'children'> & {
  name: string;
  options: readonly ChipOption<V>[];
  value: V | undefined;
  onChange: (value: V) => void;
}) {
  return (
    <ChipGroup {...group}>
      {options.map((o) => (
        <label key={String(o.value)} className="chip">
          <input
            type="radio"
            name={name}
            value={String(o.value)}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />
          <span className="chip-label">{o.label}</span>
          {o.hint !== undefined && <span className="chip-hint">{o.hint}</span>}
        </label>
      ))}
    </ChipGroup>
  );
}

/** Any of several (checkboxes). */
export function CheckChips<V extends string>({
  options,
  value,
  onChange,
  ...group
}: Omit<GroupProps, 'children'> & {
  options: readonly ChipOption<V>[];
  value: readonly V[];
  onChange: (value: V[]) => void;
}) {
  return (
    <ChipGroup {...group}>
      {options.map((o) => (
        <label key={o.value} className="chip">
          <input
            type="checkbox"
            value={o.value}
            checked={value.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
          />
          <span className="chip-label">{o.label}</span>
        </label>
      ))}
    </ChipGroup>
  );
}

/** Yes or no; unanswered until one is chosen (unknown is not "no"). */
export function YesNo({
  name,
  legend,
  value,
  onChange,
  errors,
}: {
  name: string;
  legend: ReactNode;
  value: boolean | undefined;
  onChange: (value: boolean) => void;
  errors?: string[];
}) {
  const options = [
    { value: 'yes', label: t.common.yes },
    { value: 'no', label: t.common.no },
  ] as const;
  return (
    <RadioChips
      name={name}
      legend={legend}
      options={options}
      columns={2}
      inline
      errors={errors}
      value={value === undefined ? undefined : value ? 'yes' : 'no'}
      onChange={(v) => onChange(v === 'yes')}
    />
  );
}
