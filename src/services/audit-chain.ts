import { createHash } from 'node:crypto';
import type { AuditEvent, AuditRow } from './model.js';

/** The previous hash of the first row. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * Each audit row's hash covers its own fields and the previous row's hash, so editing or
 * deleting a row breaks every later link (a hash chain, as in RFC 6962's append-only logs).
 */
export function auditRowHash(seq: number, event: AuditEvent, prevHash: string): string {
  const canonical = JSON.stringify([
    seq,
    event.at,
    event.actorUserId,
    event.actorRole,
    event.action,
    event.patientId,
    event.entityType,
    event.entityId,
    event.requestId,
    event.outcome,
    prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function chainAuditEvents(
  events: readonly AuditEvent[],
  last: { seq: number; hash: string } | undefined,
): AuditRow[] {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
  return events.map((event) => {
    seq += 1;
    const hash = auditRowHash(seq, event, prevHash);
    const row: AuditRow = { ...event, seq, prevHash, hash };
    prevHash = hash;
    return row;
  });
}

export interface AuditProblem {
  seq: number;
  problem: string;
}

export interface AuditVerification {
  rows: number;
  lastSeq: number;
  lastHash: string;
  problems: AuditProblem[];
}

/** Streams rows in seq order through the check; call `finish` for the result. */
export class AuditVerifier {
  private rows = 0;
  private expectedSeq = 1;
  private prevHash = AUDIT_GENESIS_HASH;
  private readonly problems: AuditProblem[] = [];

  add(row: AuditRow): void {
    this.rows += 1;
    if (row.seq !== this.expectedSeq) {
      this.problems.push({
        seq: row.seq,
        problem: `expected row ${this.expectedSeq} next: rows ${this.expectedSeq}–${row.seq - 1} are missing`,
      });
    }
    if (row.prevHash !== this.prevHash) {
      this.problems.push({ seq: row.seq, problem: 'previous-hash link does not match the row before it' });
    }
    if (auditRowHash(row.seq, row, row.prevHash) !== row.hash) {
      this.problems.push({ seq: row.seq, problem: 'row content does not match its hash (edited)' });
    }
    this.expectedSeq = row.seq + 1;
    this.prevHash = row.hash;
  }

  /** `head` is the last seq and hash the store recorded when it appended; it catches deleted trailing rows. */
  finish(head: { seq: number; hash: string } | undefined): AuditVerification {
    const lastSeq = this.expectedSeq - 1;
    const headSeq = head?.seq ?? 0;
    const headHash = head?.hash ?? AUDIT_GENESIS_HASH;
    if (headSeq !== lastSeq || headHash !== this.prevHash) {
      this.problems.push({
        seq: headSeq,
        problem: `the log ends at row ${lastSeq} but its recorded head is row ${headSeq} (rows deleted or head altered)`,
      });
    }
    return { rows: this.rows, lastSeq, lastHash: this.prevHash, problems: this.problems };
  }
}
