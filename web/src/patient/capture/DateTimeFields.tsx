import { type ReactNode, useId } from 'react';
import { t } from '../../i18n/strings';

export interface WallClock {
  date: string;
  time: string;
}

/** A date and a time of day in the patient's zone, as two native pickers under one legend. */
export function DateTimeFields({
  legend,
  value,
  onChange,
  errors,
  children,
}: {
  legend: ReactNode;
  value: WallClock;
  onChange: (value: WallClock) => void;
  errors?: string[];
  /** Extra controls under the pickers (e.g. "It stopped now"). */
  children?: ReactNode;
}) {
  const id = useId();
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  return (
    <fieldset className={errorId ? 'date-time field-invalid' : 'date-time'} aria-describedby={errorId}>
      <legend>{legend}</legend>
      {errorId && (
        <p className="field-error" id={errorId}>
          {errors!.join('; ')}
        </p>
      )}
      <div className="date-time-inputs">
        <label>
          <span>{t.capture.attack.date}</span>
          <input
            type="date"
            value={value.date}
            aria-invalid={errorId !== undefined || undefined}
            onChange={(e) => onChange({ ...value, date: e.target.value })}
          />
        </label>
        <label>
          <span>{t.capture.attack.time}</span>
          <input
            type="time"
            value={value.time}
            aria-invalid={errorId !== undefined || undefined}
            onChange={(e) => onChange({ ...value, time: e.target.value })}
          />
        </label>
      </div>
      {children}
    </fieldset>
  );
}
