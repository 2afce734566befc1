import type { DiaryAnalysis } from './analysis.js';
import type { Attack, TRIGGER_SITES } from './diary.js';
import type { CandidacyAssessment, Treatment } from './registry.js';
import type { SiteSettings } from './site-settings.js';
import { addDays, dayNumber, monthOf, previousMonth } from './time.js';

/**
 * The candidacy checklist for a fat-transfer (or trigger-site) procedure: each item met, not met or
 * unknown, with the evidence it rests on. It states facts for the clinician; it never gives a
 * verdict. Items after clinical-reference §6 (Guyuron: ≥1 month of diary, trigger sites confirmed by
 * nerve block or botulinum toxin) and the site's settings (site-settings.ts); the thresholds are
 * documented, configurable choices (docs/clinical-rules.md).
 */

export type ChecklistStatus = 'met' | 'not-met' | 'unknown';
export type ChecklistSource = 'clinician' | 'diary' | 'registry';

export interface ChecklistItem {
  id: string;
  label: string;
  status: ChecklistStatus;
  evidence: Record<string, unknown>;
  source: ChecklistSource;
}

export interface CandidacyChecklist {
  items: ChecklistItem[];
}

type TriggerSite = (typeof TRIGGER_SITES)[number];

export interface CandidacyInput {
  /** The diary's analysis, anchored on the day after `baselineEnd` (its period 0 is the baseline). */
  analysis: DiaryAnalysis;
  /** The diary's attack entries, for the trigger sites they name. */
  attacks: readonly Pick<Attack, 'id' | 'sites'>[];
  assessment: CandidacyAssessment | null;
  treatments: readonly Treatment[];
  settings: SiteSettings;
  /** The last day of the baseline: the day before the planned procedure, or today. */
  baselineEnd: string;
  today: string;
}

const item = (
  id: string,
  label: string,
  source: ChecklistSource,
  status: ChecklistStatus,
  evidence: Record<string, unknown>,
): ChecklistItem => ({ id, label, status, evidence, source });

function diagnosis(input: CandidacyInput): ChecklistItem {
  const d = input.assessment?.diagnosis;
  const evidence = {
    code: d?.code ?? null,
    confirmedOn: d?.confirmedOn ?? null,
    // What the diary alone meets, for the clinician to weigh; it never confirms by itself.
    diaryCodesMet: input.analysis.classification.codesMet,
  };
  const status = d === undefined ? 'unknown' : d.confirmed ? 'met' : 'not-met';
  return item('diagnosis-confirmed', 'Diagnosis confirmed by a clinician', 'clinician', status, evidence);
}

/**
 * The 28 days ending on the baseline's last day (IHS trial guidelines' minimum, Tassorelli 2018;
 * Guyuron kept a one-month diary). Sufficient when the diary covers at least the compliance
 * threshold of its days, as every other period in Relief.
 */
function baselineDiary(input: CandidacyInput): ChecklistItem {
  const { analysis, baselineEnd, today } = input;
  const label = 'Baseline diary of 28 days';
  const start = addDays(baselineEnd, -27);
  const period = analysis.periods28.find((p) => p.index === 0);
  const threshold = analysis.config.complianceThreshold;
  const requiredDays = Math.ceil(threshold * 28);
  const recordedDays = period?.recordedDays ?? 0;
  const elapsed = Math.max(0, Math.min(28, dayNumber(today) - dayNumber(start) + 1));
  const evidence: Record<string, unknown> = { start, end: baselineEnd, recordedDays, requiredDays };
  if (baselineEnd > today) {
    // Still running: not met only once the missing days already rule it out.
    const possible = recordedDays + (28 - elapsed);
    return item('baseline-diary', label, 'diary', possible < requiredDays ? 'not-met' : 'unknown', {
      ...evidence,
      inProgress: true,
      daysElapsed: elapsed,
    });
  }
  if (!period?.sufficient || period.per28 === null) return item('baseline-diary', label, 'diary', 'not-met', evidence);
  return item('baseline-diary', label, 'diary', 'met', {
    ...evidence,
    migraineDaysPer28: period.per28.migraineDays,
    headacheDaysPer28: period.per28.headacheDays,
    migraineDaysUndetermined: period.migraineDaysUndetermined,
  });
}

/** Preventive classes tried, as the EHF and AHS consensus statements count them (classes, not drugs). */
function preventiveClasses(input: CandidacyInput): ChecklistItem {
  const { treatments, settings, assessment, baselineEnd } = input;
  const classes: Record<string, string[]> = {};
  const add = (cls: string, name: string) => {
    const names = (classes[cls] ??= []);
    if (!names.includes(name)) names.push(name);
  };
  for (const t of treatments) {
    if (t.start > baselineEnd) continue;
    if (t.type === 'oral-preventive') add(t.preventiveClass, t.drug);
    else if (t.type === 'cgrp-antibody') add('cgrp-antibody', t.drug);
    else if (t.type === 'botulinum-toxin') add('botulinum-toxin', 'botulinum toxin');
  }
  const count = Object.keys(classes).length;
  const required = settings.candidacy.minPreventiveClasses;
  const historyComplete = assessment?.treatmentHistoryComplete ?? false;
  // Fewer classes in the registry only mean "not tried" when the clinician says its history is complete.
  const status = count >= required ? 'met' : historyComplete ? 'not-met' : 'unknown';
  return item('preventive-classes', 'Preventive classes tried', 'registry', status, {
    classes,
    count,
    required,
    treatmentHistoryComplete: assessment?.treatmentHistoryComplete ?? null,
  });
}

/** Sites named in a share of the attacks that name any, up to the baseline's end. */
function diarySites(input: CandidacyInput): { counts: Record<string, number>; naming: number; seen: TriggerSite[] } {
  const sitesById = new Map(input.attacks.map((a) => [a.id, a.sites ?? []]));
  const counts: Record<string, number> = {};
  let naming = 0;
  for (const a of input.analysis.attacks) {
    if (a.source !== 'attack' || a.startDate > input.baselineEnd) continue;
    const sites = [...new Set(sitesById.get(a.id) ?? [])];
    if (sites.length === 0) continue;
    naming++;
    for (const s of sites) counts[s] = (counts[s] ?? 0) + 1;
  }
  const minShare = input.settings.candidacy.minSiteShare;
  const seen = (Object.keys(counts) as TriggerSite[]).filter((s) => counts[s]! >= minShare * naming).sort();
  return { counts, naming, seen };
}

function triggerSites(input: CandidacyInput, sites: ReturnType<typeof diarySites>): ChecklistItem {
  const evidence = {
    attacksNamingSites: sites.naming,
    counts: sites.counts,
    minShare: input.settings.candidacy.minSiteShare,
    sites: sites.seen,
  };
  const status = sites.naming === 0 ? 'unknown' : sites.seen.length > 0 ? 'met' : 'not-met';
  return item('trigger-sites', 'Trigger sites seen in the diary', 'diary', status, evidence);
}

/**
 * A nerve block or botulinum toxin at a diary site that relieved at least the site's threshold
 * (Guyuron: ≥50 %) confirms it. One confirmed site is met; tests with no relief recorded are shown
 * but decide nothing.
 */
function siteConfirmation(input: CandidacyInput, sites: ReturnType<typeof diarySites>): ChecklistItem {
  const min = input.settings.candidacy.minBlockReliefPercent;
  const seen = new Set<string>(sites.seen);
  const tests: { type: string; start: string; sites: string[]; percentRelief: number | null }[] = [];
  for (const t of input.treatments) {
    if (t.start > input.baselineEnd) continue;
    if (t.type !== 'nerve-block' && t.type !== 'botulinum-toxin') continue;
    const at = (t.type === 'nerve-block' ? [t.site] : t.sites).filter((s) => seen.has(s));
    if (at.length === 0) continue;
    tests.push({ type: t.type, start: t.start, sites: at, percentRelief: t.percentRelief ?? null });
  }
  tests.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.type < b.type ? -1 : 1));
  const confirmed = [
    ...new Set(tests.filter((t) => t.percentRelief !== null && t.percentRelief >= min).flatMap((t) => t.sites)),
  ].sort();
  const rated = tests.filter((t) => t.percentRelief !== null);
  const status = confirmed.length > 0 ? 'met' : rated.length > 0 ? 'not-met' : 'unknown';
  return item('site-confirmation', 'Nerve block or botulinum toxin response at those sites', 'registry', status, {
    sites: sites.seen,
    minReliefPercent: min,
    tests,
    confirmedSites: confirmed,
  });
}

/**
 * ICHD-3 8.2 medication overuse (medication-overuse.ts) in the months up to the baseline's end.
 * A month only at "risk" does not meet criteria; it is listed for the clinician.
 */
function medicationOveruse(input: CandidacyInput): ChecklistItem {
  const { analysis, assessment, baselineEnd, settings } = input;
  const lastMonth = monthOf(baselineEnd);
  let firstMonth = lastMonth;
  for (let i = 1; i < settings.candidacy.overuseLookbackMonths; i++) firstMonth = previousMonth(firstMonth);
  const inWindow = (month: string) => month >= firstMonth && month <= lastMonth;
  const recordedDays = analysis.months.filter((m) => inWindow(m.month)).reduce((n, m) => n + m.recordedDays, 0);
  const found = analysis.medicationOveruse
    .map((o) => ({ code: o.code, name: o.name, months: o.months.filter((m) => inWindow(m.month)) }))
    .filter((o) => o.months.length > 0);
  const meets = found.filter((o) => o.months.some((m) => m.level === 'meets-criteria'));
  const addressed = assessment?.medicationOveruseAddressed ?? null;
  const evidence = {
    from: firstMonth,
    to: lastMonth,
    recordedDays,
    meetsCriteria: meets.map((o) => o.code),
    overuse: found,
    medicationOveruseAddressed: addressed,
  };
  const label = 'Medication overuse addressed';
  if (recordedDays === 0) return item('medication-overuse', label, 'diary', 'unknown', evidence);
  const status = meets.length === 0 || addressed === true ? 'met' : 'not-met';
  return item('medication-overuse', label, 'diary', status, evidence);
}

function contraindications(input: CandidacyInput): ChecklistItem[] {
  const answers = input.assessment?.contraindications ?? {};
  return input.settings.contraindications.map((c) => {
    const answer = answers[c.id];
    const status = answer === undefined ? 'unknown' : answer ? 'not-met' : 'met';
    return item(`contraindication:${c.id}`, `No contraindication: ${c.label}`, 'clinician', status, {
      present: answer ?? null,
    });
  });
}

export function candidacyChecklist(input: CandidacyInput): CandidacyChecklist {
  const anchor = addDays(input.baselineEnd, 1);
  if (input.analysis.periodAnchor !== null && input.analysis.periodAnchor !== anchor) {
    throw new Error(`the analysis must be anchored on ${anchor}, the day after the baseline`);
  }
  const sites = diarySites(input);
  return {
    items: [
      diagnosis(input),
      baselineDiary(input),
      preventiveClasses(input),
      triggerSites(input, sites),
      siteConfirmation(input, sites),
      medicationOveruse(input),
      ...contraindications(input),
    ],
  };
}
