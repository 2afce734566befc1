/**
 * The device's own copy of diary writes (IndexedDB): the outbox of entries not yet confirmed by
 * the server, and the last server version known per entry. Small promise wrappers only; every
 * read-modify-write runs in one transaction so two tabs cannot interleave inside it.
 */

const DB_NAME = 'relief-offline';
const DB_VERSION = 1;
export const OUTBOX = 'outbox';
export const VERSIONS = 'versions';

let opening: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(OUTBOX)) {
        db.createObjectStore(OUTBOX, { keyPath: 'key' }).createIndex('patientId', 'patientId');
      }
      // Out-of-line keys (`patientId/kind/id`) → version number.
      if (!db.objectStoreNames.contains(VERSIONS)) db.createObjectStore(VERSIONS);
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab with a newer app version wants to upgrade: let it.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    req.onerror = () => {
      opening = null;
      reject(req.error ?? new Error('IndexedDB unavailable'));
    };
    req.onblocked = () => {
      // An old tab holds the database open; try again on the next call.
      opening = null;
      reject(new Error('IndexedDB is blocked by another tab'));
    };
  });
  return opening;
}

export function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Runs `body` in one transaction and resolves after the transaction committed. Writes ask for
 * strict durability: the browser flushes to disk before reporting completion, so an entry the
 * user saved survives the phone switching off right after.
 */
export async function transact<T>(
  stores: string[],
  mode: IDBTransactionMode,
  body: (tx: IDBTransaction) => Promise<T>,
): Promise<T> {
  const db = await openDb();
  const tx = db.transaction(stores, mode, { durability: mode === 'readwrite' ? 'strict' : 'default' });
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  let result: T;
  try {
    result = await body(tx);
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // Already finished.
    }
    await done.catch(() => undefined);
    throw e;
  }
  await done;
  return result;
}
