import type { RequestContext } from './actor.js';
import { AuditVerifier, type AuditVerification } from './audit-chain.js';
import { auditEvent, type AuditTarget } from './audited.js';
import type { AuditRow } from './model.js';
import type { ReliefStore } from './ports.js';

const PAGE = 5_000;

export class AuditService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  /** Records a request refused before any use case ran (wrong role, missing CSRF token). */
  async recordRefusal(ctx: RequestContext, target: AuditTarget): Promise<void> {
    await this.store.transaction((tx) => tx.appendAudit([auditEvent(ctx, target, 'denied', this.clock())]));
  }

  /**
   * Recomputes the hash chain over the whole log; any edited, missing, trailing-deleted or
   * forged row shows. Log and head are read in one snapshot, so a running server's appends
   * meanwhile do not disturb the check.
   */
  async verify(): Promise<AuditVerification> {
    return this.store.snapshot(async (tx) => {
      const head = await tx.auditHead();
      const verifier = new AuditVerifier();
      let after = 0;
      for (;;) {
        const rows = await tx.readAudit(after, PAGE);
        for (const row of rows) verifier.add(row);
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1]!.seq;
      }
      return verifier.finish(head);
    });
  }

  /** The newest rows first, optionally of one patient. */
  async recent(limit: number, patientId?: string): Promise<AuditRow[]> {
    return this.store.read((tx) => tx.readRecentAudit(limit, patientId));
  }
}
