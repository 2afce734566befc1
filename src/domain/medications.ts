import { z } from 'zod';

/**
 * Acute medication classes. The overuse classes and their grouping follow ICHD-3 8.2
 * (see ../../../shared/clinical-reference.md §1): paracetamol, ASA and other NSAIDs are one class
 * ("non-opioid analgesic"); a combination analgesic holds two or more classes or caffeine as an
 * adjuvant (ASA + paracetamol alone is not one).
 */
export const ACUTE_MEDICATION_CLASSES = [
  'triptan',
  'ergot',
  'non-opioid-analgesic',
  'combination-analgesic',
  'opioid',
  'gepant',
  'ditan',
  'antiemetic',
  'other',
] as const;
export type AcuteMedicationClass = (typeof ACUTE_MEDICATION_CLASSES)[number];
export const acuteMedicationClassSchema = z.enum(ACUTE_MEDICATION_CLASSES);

/**
 * Migraine-specific acute medication: a day on which one is taken counts as a migraine day
 * (van der Arend/Terwindt, Cephalalgia 2023; clinical-reference §2).
 */
export const MIGRAINE_SPECIFIC_CLASSES: ReadonlySet<AcuteMedicationClass> = new Set([
  'triptan',
  'ergot',
  'gepant',
  'ditan',
]);

/** How much an acute medication helped, as diaries ask it. */
export const MEDICATION_EFFECTS = ['none', 'some', 'good', 'complete'] as const;
export type MedicationEffect = (typeof MEDICATION_EFFECTS)[number];

/**
 * Generic drug names (lower case) to class, for importing diaries that only name the drug.
 * Unknown names import as "other" and are listed in the import warnings.
 */
const DRUG_CLASSES: Record<string, AcuteMedicationClass> = {
  sumatriptan: 'triptan',
  rizatriptan: 'triptan',
  zolmitriptan: 'triptan',
  eletriptan: 'triptan',
  naratriptan: 'triptan',
  almotriptan: 'triptan',
  frovatriptan: 'triptan',
  ergotamine: 'ergot',
  dihydroergotamine: 'ergot',
  paracetamol: 'non-opioid-analgesic',
  acetaminophen: 'non-opioid-analgesic',
  aspirin: 'non-opioid-analgesic',
  'acetylsalicylic acid': 'non-opioid-analgesic',
  ibuprofen: 'non-opioid-analgesic',
  naproxen: 'non-opioid-analgesic',
  diclofenac: 'non-opioid-analgesic',
  ketoprofen: 'non-opioid-analgesic',
  metamizole: 'non-opioid-analgesic',
  indomethacin: 'non-opioid-analgesic',
  celecoxib: 'non-opioid-analgesic',
  codeine: 'opioid',
  tramadol: 'opioid',
  oxycodone: 'opioid',
  morphine: 'opioid',
  hydrocodone: 'opioid',
  tapentadol: 'opioid',
  ubrogepant: 'gepant',
  rimegepant: 'gepant',
  zavegepant: 'gepant',
  lasmiditan: 'ditan',
  metoclopramide: 'antiemetic',
  domperidone: 'antiemetic',
  domperidon: 'antiemetic',
  prochlorperazine: 'antiemetic',
  ondansetron: 'antiemetic',
  excedrin: 'combination-analgesic',
  'aspirin paracetamol caffeine': 'combination-analgesic',
};

/** The class of a drug by its generic name, or undefined when Relief does not know it. */
export function classOfDrug(name: string): AcuteMedicationClass | undefined {
  return DRUG_CLASSES[name.trim().toLowerCase()];
}
