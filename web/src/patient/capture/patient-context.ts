import { useCallback, useEffect, useState } from 'react';
import type { PatientPreferences } from '../../../../src/domain/patient-preferences';
import { api, NetworkError } from '../../api/client';

/**
 * What the capture screens need to know about the patient: their time zone (every instant is
 * written in it), their conditions, and their diary preferences. Kept on the device too, so the
 * patient can log an attack when the phone is offline.
 */

export type Preferences = PatientPreferences;

export interface CaptureContext {
  timeZone: string;
  conditions: string[];
  preferences: Preferences;
  /** The preferences' version on the server (0: the defaults), for If-Match. */
  preferencesVersion: number;
  /** Known from this device only (offline): not confirmed by the server just now. */
  offline: boolean;
}

interface PatientAnswer {
  timeZone: string;
  conditions: string[];
}
interface PreferencesAnswer {
  version: number;
  data: Preferences;
}

const cacheKey = (patientId: string) => `relief.capture.${patientId}`;

function cached(patientId: string): CaptureContext | null {
  try {
    const raw = localStorage.getItem(cacheKey(patientId));
    return raw === null ? null : { ...(JSON.parse(raw) as CaptureContext), offline: true };
  } catch {
    return null;
  }
}

export function rememberContext(patientId: string, context: CaptureContext): void {
  try {
    localStorage.setItem(cacheKey(patientId), JSON.stringify({ ...context, offline: false }));
  } catch {
    // Storage full or blocked: the app then needs the server to know the zone.
  }
}

/** What the app assumes with nothing known: the phone's zone and no choices made. */
function assumed(): CaptureContext {
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    conditions: ['migraine'],
    preferences: {
      factors: [],
      foods: [],
      intensityScale: 'levels',
      askPreventive: true,
      askNeuropathicPain: false,
      usualMedications: [],
    },
    preferencesVersion: 0,
    offline: true,
  };
}

export function useCaptureContext(patientId: string): {
  context: CaptureContext | undefined;
  error: Error | undefined;
  /** The server answered, or could not be reached (then `context` is the device's copy). */
  settled: boolean;
  update: (context: CaptureContext) => void;
} {
  const [context, setContext] = useState<CaptureContext | undefined>(() => cached(patientId) ?? undefined);
  const [error, setError] = useState<Error>();
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    const base = `/patients/${encodeURIComponent(patientId)}`;
    Promise.all([
      api.get<PatientAnswer>(base, controller.signal),
      api.get<PreferencesAnswer>(`${base}/preferences`, controller.signal),
    ]).then(
      ([patient, preferences]) => {
        const next: CaptureContext = {
          timeZone: patient.timeZone,
          conditions: patient.conditions,
          preferences: preferences.data,
          preferencesVersion: preferences.version,
          offline: false,
        };
        rememberContext(patientId, next);
        setContext(next);
        setSettled(true);
      },
      (e: Error) => {
        if (e.name === 'AbortError') return;
        if (e instanceof NetworkError) setContext((c) => c ?? cached(patientId) ?? assumed());
        else setError(e);
        setSettled(true);
      },
    );
    return () => controller.abort();
  }, [patientId]);
  const update = useCallback(
    (next: CaptureContext) => {
      rememberContext(patientId, next);
      setContext(next);
    },
    [patientId],
  );
  return { context, error, settled, update };
}

/** Conditions that make nerve pain worth asking about (all but migraine, as the server decides). */
export const hasNeuropathicCondition = (conditions: readonly string[]) => conditions.some((c) => c !== 'migraine');
