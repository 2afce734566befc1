import { DEFAULT_SITE_SETTINGS, siteSettingsSchema, type SiteSettings } from '../domain/site-settings.js';
import type { RequestContext } from './actor.js';
import { audited } from './audited.js';
import { canonical } from './diary-service.js';
import { DuplicateKeyError, forbidden, InvalidInputError, ServiceError } from './errors.js';
import type { ReliefStore, StoreTx } from './ports.js';
import { precondition, type WriteResult } from './write-result.js';

/** A site's settings as the API returns them; version 0 means the site never set any (the defaults). */
export interface SiteSettingsView {
  siteId: string;
  version: number;
  updatedAt: string | null;
  data: SiteSettings;
}

/** The settings a site works with: its own, or the defaults when it never set any. */
export async function loadSiteSettings(tx: StoreTx, siteId: string): Promise<SiteSettingsView> {
  const stored = await tx.getSiteSettings(siteId);
  if (!stored) return { siteId, version: 0, updatedAt: null, data: DEFAULT_SITE_SETTINGS };
  return { siteId, version: stored.version, updatedAt: stored.updatedAt, data: stored.body as SiteSettings };
}

/** Validates settings; problems are named `body.<field>`. */
export function parseSiteSettings(input: unknown): SiteSettings {
  const parsed = siteSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/** A site that is missing, or that the caller does not belong to, reads as "not found". */
const siteNotFound = (auditOutcome: 'not_found' | 'denied' = 'not_found') =>
  new ServiceError('not_found', 'site not found', { auditOutcome });

/** Follow-up schedule, contraindication list and candidacy thresholds of a site. */
export class SiteSettingsService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
  ) {}

  /** Admins, and clinicians of the site; anyone else is refused. */
  async get(ctx: RequestContext, siteId: string): Promise<SiteSettingsView> {
    const target = { action: 'site-settings.read', patientId: null, entityType: 'site-settings', entityId: siteId };
    return audited(this.store, this.clock, ctx, target, async (tx) => {
      const { role, siteIds } = ctx.actor;
      if (role !== 'admin' && role !== 'clinician') throw forbidden('only clinicians and admins read site settings');
      if (!(await tx.getSite(siteId))) throw siteNotFound();
      if (role === 'clinician' && !siteIds.includes(siteId)) throw siteNotFound('denied');
      return { result: await loadSiteSettings(tx, siteId) };
    });
  }

  /** Replaces a site's settings (admins). The same settings again change nothing; a change needs If-Match. */
  async put(
    ctx: RequestContext,
    siteId: string,
    input: unknown,
    ifMatch: number | undefined,
  ): Promise<WriteResult<SiteSettingsView>> {
    const settings = parseSiteSettings(input);
    const target = { action: 'site-settings.put', patientId: null, entityType: 'site-settings', entityId: siteId };
    const attempt = () =>
      audited<WriteResult<SiteSettingsView>>(this.store, this.clock, ctx, target, async (tx) => {
        if (ctx.actor.role !== 'admin') throw forbidden('only admins change site settings');
        if (!(await tx.getSite(siteId))) throw siteNotFound();
        const now = this.clock().toISOString();
        const existing = await tx.getSiteSettings(siteId);
        if (!existing) {
          // The defaults are version 0: an If-Match may name it, or nothing.
          if (ifMatch !== undefined) precondition(0, ifMatch);
          await tx.putSiteSettings({ siteId, body: settings, version: 1, updatedAt: now }, null);
          return { result: { status: 'created', record: { siteId, version: 1, updatedAt: now, data: settings } } };
        }
        if (canonical(existing.body) === canonical(settings)) {
          return { result: { status: 'unchanged', record: await loadSiteSettings(tx, siteId) }, outcome: 'unchanged' };
        }
        precondition(existing.version, ifMatch);
        const version = existing.version + 1;
        if (!(await tx.putSiteSettings({ siteId, body: settings, version, updatedAt: now }, existing.version))) {
          precondition(version, ifMatch);
        }
        return { result: { status: 'updated', record: { siteId, version, updatedAt: now, data: settings } } };
      });
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof DuplicateKeyError) return attempt();
      throw error;
    }
  }
}
