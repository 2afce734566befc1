/**
 * One JSON text per value, whatever the order of its keys: two bodies are "the same" exactly when
 * their canonical texts are equal. The server decides with it whether a PUT repeats what is stored
 * ("unchanged"), and the web app's outbox whether a conflicting entry holds its own earlier write,
 * so both must use this one function.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
