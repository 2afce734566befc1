import type { AnalysisConfig } from './config.js';
import { deriveDays } from './days.js';
import type { Diary } from './diary.js';
import { INTENSITY_LEVELS, resolveIntensity, type IntensityLevel } from './intensity.js';
import type { AcuteMedicationClass } from './medications.js';
import { eachDate } from './time.js';

/**
 * What a calendar shows of each local day: the day's facts as days.ts derives them (the same rules
 * as every count), with the day's intensity, the highest of the attacks that cover it and of its
 * daily record's headache.
 */
export interface CalendarDay {
  date: string;
  recorded: boolean;
  headache: boolean;
  migraine: boolean | null;
  /** Highest 0–10 rating recorded for the day (a level alone gives no number). */
  peakIntensity: number | null;
  /** 'none' on a recorded day without headache; null when not recorded or no intensity was given. */
  intensityLevel: IntensityLevel | null;
  acuteMedication: boolean;
  medicationClasses: AcuteMedicationClass[];
  aura: boolean;
  /** The day's 0–10 neuropathic pain rating. */
  pain: number | null;
  confirmedHeadacheFree: boolean;
  attackIds: string[];
}

const rank = (level: IntensityLevel) => INTENSITY_LEVELS.indexOf(level);

function higher(a: IntensityLevel | null, b: IntensityLevel | null): IntensityLevel | null {
  if (a === null) return b;
  if (b === null) return a;
  return rank(a) >= rank(b) ? a : b;
}

const maxOf = (a: number | null, b: number | undefined) => (b === undefined ? a : a === null ? b : Math.max(a, b));

/** Every day from `from` to `to` (inclusive) of the diary, as of the moment `nowMs`. */
export function calendarDays(
  diary: Diary,
  from: string,
  to: string,
  nowMs: number,
  cfg: AnalysisConfig,
): CalendarDay[] {
  const days = deriveDays(diary, cfg, nowMs);
  const attacks = new Map(diary.attacks.map((a) => [a.id, a]));
  const records = new Map(diary.dailyRecords.map((r) => [r.date, r]));
  const out: CalendarDay[] = [];
  for (const date of eachDate(from, to)) {
    const facts = days.byDate.get(date);
    if (!facts || !facts.recorded) {
      out.push({
        date,
        recorded: false,
        headache: false,
        migraine: null,
        peakIntensity: null,
        intensityLevel: null,
        acuteMedication: false,
        medicationClasses: [],
        aura: false,
        pain: null,
        confirmedHeadacheFree: false,
        attackIds: [],
      });
      continue;
    }
    let level: IntensityLevel | null = null;
    let peak: number | null = null;
    for (const id of facts.attackIds) {
      const a = attacks.get(id);
      if (!a) continue;
      level = higher(level, resolveIntensity(a.peakIntensity, a.intensityLevel, cfg.intensity).level);
      peak = maxOf(peak, a.peakIntensity);
    }
    const headache = records.get(date)?.headache;
    if (headache) {
      level = higher(level, resolveIntensity(headache.peakIntensity, headache.intensityLevel, cfg.intensity).level);
      peak = maxOf(peak, headache.peakIntensity);
    }
    const classes = [...facts.medicationClasses].sort();
    out.push({
      date,
      recorded: true,
      headache: facts.headache,
      migraine: facts.migraine,
      peakIntensity: peak,
      intensityLevel: facts.headache ? (level === 'none' ? null : level) : 'none',
      acuteMedication: classes.length > 0,
      medicationClasses: classes,
      aura: facts.aura,
      pain: facts.pain,
      confirmedHeadacheFree: facts.confirmedHeadacheFree,
      attackIds: [...facts.attackIds],
    });
  }
  return out;
}
