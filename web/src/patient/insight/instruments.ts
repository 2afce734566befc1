/** The questionnaires a patient fills in on their phone, and their addresses (/questionnaires/hit-6). */
export const PATIENT_INSTRUMENTS = ['MIDAS', 'HIT-6', 'PGIC'] as const;
export type PatientInstrument = (typeof PATIENT_INSTRUMENTS)[number];

export const instrumentPath = (instrument: PatientInstrument) => `/questionnaires/${instrument.toLowerCase()}`;

export function instrumentOfSlug(slug: string): PatientInstrument | null {
  return PATIENT_INSTRUMENTS.find((i) => i.toLowerCase() === slug.toLowerCase()) ?? null;
}

export const isPatientInstrument = (name: string): name is PatientInstrument =>
  (PATIENT_INSTRUMENTS as readonly string[]).includes(name);
