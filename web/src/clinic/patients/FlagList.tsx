import { DEFAULT_CONFIG } from '../../../../src/domain/config';
import type { PatientFlag } from '../../../../src/domain/patient-flags';
import { format, formatDate, formatPercent, formatRate, t } from '../../i18n/strings';

const s = t.clinicPatients;
const monthName = (month: string) => formatDate(`${month}-01`, { month: 'long', year: 'numeric' });

/** The numbers behind a flag, in words. */
export function flagEvidence(flag: PatientFlag): string {
  const e = s.flagEvidence;
  switch (flag.flag) {
    case 'follow-up-overdue': {
      const [first, ...rest] = flag.visits;
      if (!first) return '';
      const parts = [
        format(e.overdue, { visit: first.label, due: formatDate(first.dueDate), days: first.daysOverdue }),
        format(e.missing, { list: first.missing.join(', ') }),
      ];
      if (rest.length > 0) parts.push(format(e.overdueMore, { n: rest.length }));
      return parts.join('; ');
    }
    case 'medication-overuse': {
      const template = flag.monthInProgress ? e.overuseSoFar : e.overuse;
      const parts = flag.rules.map((r) =>
        format(template, {
          code: r.code,
          name: r.name,
          days: r.days,
          month: monthName(flag.month),
          threshold: r.thresholdDays,
        }),
      );
      if (flag.rules.some((r) => r.level === 'meets-criteria')) parts.push(e.overuseMeets);
      return parts.join('; ');
    }
    case 'worsening': {
      const threshold = formatPercent(DEFAULT_CONFIG.guyuronWorseningFraction * 100, 0);
      const mhi =
        flag.mhiPercentChange === null
          ? format(e.worseningFromZero, { visit: flag.label })
          : format(e.worsening, {
              visit: flag.label,
              change: formatPercent(flag.mhiPercentChange, 1, true),
              threshold,
            });
      const mmd = format(e.worseningMmd, { baseline: formatRate(flag.baselineMmd), mmd: formatRate(flag.mmd) });
      return `${mhi}; ${mmd}`;
    }
    case 'low-compliance':
      return format(e.lowCompliance, {
        recorded: flag.recordedDays,
        days: flag.days,
        from: formatDate(flag.from, { day: 'numeric', month: 'short' }),
        to: formatDate(flag.to, { day: 'numeric', month: 'short' }),
        percent: Math.round(flag.threshold * 100),
      });
  }
}

/** A patient's flags as text badges (never colour alone), each with its numbers. */
export function FlagList({ flags }: { flags: readonly PatientFlag[] }) {
  if (flags.length === 0) return <span className="muted">{s.list.noFlag}</span>;
  return (
    <ul className="flag-list">
      {flags.map((f) => (
        <li key={f.flag} data-flag={f.flag}>
          <span className={`flag-badge flag-${f.flag}`}>
            <span aria-hidden="true" className="flag-mark">
              !
            </span>
            <span className="flag-label">{s.flags[f.flag]}</span>
          </span>{' '}
          <span className="flag-evidence">{flagEvidence(f)}</span>
        </li>
      ))}
    </ul>
  );
}
