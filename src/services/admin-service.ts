import { randomUUID } from 'node:crypto';
import type { RequestContext } from './actor.js';
import { audited } from './audited.js';
import type { AuthService, PublicUser } from './auth-service.js';
import { conflict, type FieldIssue, InvalidInputError, notFound } from './errors.js';
import { generatePassword } from './passwords.js';
import type { ReliefStore, StoreTx } from './ports.js';
import type { CreateUserInput, SiteInput, UpdateUserInput } from './schemas.js';
import type { SiteRecord } from './model.js';
import type { WriteResult } from './write-result.js';
import { precondition } from './write-result.js';

/** Users and sites: what an admin manages. The HTTP layer admits admins only. */
export class AdminService {
  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
    private readonly auth: AuthService,
  ) {}

  /** Every unknown site is named; a site listed twice counts once. */
  private async checkSites(tx: StoreTx, siteIds: readonly string[], path: string): Promise<string[]> {
    const issues: FieldIssue[] = [];
    for (const [i, siteId] of siteIds.entries()) {
      if (!(await tx.getSite(siteId))) issues.push({ path: `${path}.${i}`, message: `no site "${siteId}"` });
    }
    if (issues.length > 0) throw new InvalidInputError(issues);
    return [...new Set(siteIds)];
  }

  async createUser(ctx: RequestContext, input: CreateUserInput): Promise<{ user: PublicUser; password?: string }> {
    const password = input.password ?? generatePassword();
    this.auth.checkPasswordPolicy(password, 'body.password');
    if (input.role === 'patient' && input.patientId === undefined) {
      throw new InvalidInputError([{ path: 'body.patientId', message: 'a patient login needs its patient record' }]);
    }
    if (input.role !== 'patient' && input.patientId !== undefined) {
      throw new InvalidInputError([{ path: 'body.patientId', message: 'only a patient login has a patient record' }]);
    }
    const passwordHash = await this.auth.hash(password);
    const id = randomUUID();
    const target = { action: 'user.create', patientId: input.patientId ?? null, entityType: 'user', entityId: id };
    return audited(this.store, this.clock, ctx, target, async (tx) => {
      if (await tx.getUserByUsername(input.username)) throw conflict(`username "${input.username}" is taken`);
      const siteIds = await this.checkSites(tx, input.siteIds, 'body.siteIds');
      const now = this.clock().toISOString();
      await tx.insertUser({
        id,
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        mustChangePassword: input.password === undefined,
        failedLogins: 0,
        lockedUntil: null,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
      await tx.setMemberships(id, siteIds);
      if (input.patientId !== undefined) {
        const patient = await tx.getPatient(input.patientId);
        if (!patient) throw new InvalidInputError([{ path: 'body.patientId', message: 'no such patient' }]);
        if (patient.userId !== null) throw conflict('this patient already has a login');
        await tx.updatePatient(
          { ...patient, userId: id, version: patient.version + 1, updatedAt: now },
          patient.version,
        );
      }
      const user = await this.auth.publicUser(tx, (await tx.getUserById(id))!);
      return { result: input.password === undefined ? { user, password } : { user } };
    });
  }

  async listUsers(): Promise<PublicUser[]> {
    return this.store.transaction(async (tx) => {
      const users = await tx.listUsers();
      return Promise.all(users.map((u) => this.auth.publicUser(tx, u)));
    });
  }

  async getUser(id: string): Promise<PublicUser> {
    return this.store.transaction(async (tx) => {
      const user = await tx.getUserById(id);
      if (!user) throw notFound('user');
      return this.auth.publicUser(tx, user);
    });
  }

  async updateUser(ctx: RequestContext, id: string, input: UpdateUserInput): Promise<PublicUser> {
    const target = { action: 'user.update', patientId: null, entityType: 'user', entityId: id };
    return audited(this.store, this.clock, ctx, target, async (tx) => {
      const user = await tx.getUserById(id);
      if (!user) throw notFound('user');
      if (input.disabled === true && id === ctx.actor.userId) {
        throw new InvalidInputError([{ path: 'body.disabled', message: 'you cannot disable your own account' }]);
      }
      await tx.updateUser(id, {
        ...(input.displayName !== undefined && { displayName: input.displayName }),
        ...(input.disabled !== undefined && { disabled: input.disabled }),
        updatedAt: this.clock().toISOString(),
      });
      if (input.disabled === true) await tx.deleteSessionsOfUser(id);
      if (input.siteIds !== undefined) {
        await tx.setMemberships(id, await this.checkSites(tx, input.siteIds, 'body.siteIds'));
      }
      return { result: await this.auth.publicUser(tx, (await tx.getUserById(id))!) };
    });
  }

  async listSites(): Promise<SiteRecord[]> {
    return this.store.transaction((tx) => tx.listSites());
  }

  async getSite(id: string): Promise<SiteRecord> {
    const site = await this.store.transaction((tx) => tx.getSite(id));
    if (!site) throw notFound('site');
    return site;
  }

  /** Creates or renames a site; idempotent, with a version check on changes. */
  async putSite(
    ctx: RequestContext,
    id: string,
    input: SiteInput,
    ifMatch: number | undefined,
  ): Promise<WriteResult<SiteRecord>> {
    const target = { action: 'site.put', patientId: null, entityType: 'site', entityId: id };
    return audited<WriteResult<SiteRecord>>(this.store, this.clock, ctx, target, async (tx) => {
      const now = this.clock().toISOString();
      const existing = await tx.getSite(id);
      if (!existing) {
        const site = { id, name: input.name, version: 1, createdAt: now, updatedAt: now };
        await tx.insertSite(site);
        return { result: { status: 'created', record: site } };
      }
      if (existing.name === input.name)
        return { result: { status: 'unchanged', record: existing }, outcome: 'unchanged' };
      precondition(existing.version, ifMatch);
      const site = { ...existing, name: input.name, version: existing.version + 1, updatedAt: now };
      if (!(await tx.updateSite(site, existing.version))) precondition(existing.version + 1, ifMatch);
      return { result: { status: 'updated', record: site } };
    });
  }
}
