import { createHash, randomUUID } from 'node:crypto';
import type { Actor, RequestContext } from './actor.js';
import { audited } from './audited.js';
import { conflict, DuplicateKeyError, InvalidInputError, notFound, ServiceError, unauthenticated } from './errors.js';
import type { ApiTokenRecord, UserRecord } from './model.js';
import { generatePassword, hashPassword, randomToken, verifyPassword } from './passwords.js';
import type { ReliefStore, StoreTx } from './ports.js';
import type { SecuritySettings } from './settings.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** API tokens start with this, so a leaked one is easy to recognise in logs and code. */
export const API_TOKEN_PREFIX = 'rlf_';

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: UserRecord['role'];
  siteIds: string[];
  patientId: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
}

export interface NewSession {
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
  user: PublicUser;
}

/** Counts sign-in attempts per client address in a sliding minute (kept in memory). */
class LoginRateLimiter {
  private readonly attempts = new Map<string, number[]>();
  constructor(private readonly perMinute: number) {}

  /** Records an attempt; returns the seconds to wait when over the limit. */
  hit(key: string, nowMs: number): number | null {
    const recent = (this.attempts.get(key) ?? []).filter((t) => nowMs - t < 60_000);
    if (recent.length >= this.perMinute) {
      this.attempts.set(key, recent);
      return Math.ceil((60_000 - (nowMs - recent[0]!)) / 1000);
    }
    recent.push(nowMs);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.forgetOld(nowMs);
    return null;
  }

  private forgetOld(nowMs: number): void {
    for (const [key, times] of this.attempts) {
      if (times.every((t) => nowMs - t >= 60_000)) this.attempts.delete(key);
    }
  }
}

export class AuthService {
  private readonly limiter: LoginRateLimiter;
  /** Verified against when the username is unknown, so timing does not reveal which usernames exist. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: ReliefStore,
    private readonly clock: () => Date,
    private readonly security: SecuritySettings,
  ) {
    this.limiter = new LoginRateLimiter(security.loginAttemptsPerMinute);
  }

  async publicUser(tx: StoreTx, user: UserRecord): Promise<PublicUser> {
    const patient = user.role === 'patient' ? await tx.getPatientByUserId(user.id) : undefined;
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      siteIds: await tx.membershipsOf(user.id),
      patientId: patient?.id ?? null,
      mustChangePassword: user.mustChangePassword,
      disabled: user.disabled,
    };
  }

  checkPasswordPolicy(password: string, path: string): void {
    if (password.length < this.security.minPasswordLength) {
      throw new InvalidInputError([
        { path, message: `must be at least ${this.security.minPasswordLength} characters` },
      ]);
    }
    if (password.length > 1024) throw new InvalidInputError([{ path, message: 'must be at most 1024 characters' }]);
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.security.scrypt);
  }

  /** Creates the first admin when there is no user at all; returns its one-time password. */
  async bootstrapAdmin(): Promise<{ username: string; password: string } | null> {
    // Hashing costs about half a second: only when there is no user yet.
    if ((await this.store.read((tx) => tx.countUsers())) > 0) return null;
    const password = generatePassword();
    const passwordHash = await this.hash(password);
    const created = this.store.transaction(async (tx) => {
      if ((await tx.countUsers()) > 0) return null;
      const now = this.clock().toISOString();
      await tx.insertUser({
        id: randomUUID(),
        username: 'admin',
        displayName: 'Administrator',
        role: 'admin',
        passwordHash,
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
      return { username: 'admin', password };
    });
    // Two servers starting at once on one PostgreSQL database: the second finds the name taken.
    return created.catch((error: unknown) => {
      if (error instanceof DuplicateKeyError) return null;
      throw error;
    });
  }

  async login(username: string, password: string, clientKey: string, requestId: string | null): Promise<NewSession> {
    const now = this.clock();
    const wait = this.limiter.hit(clientKey, now.getTime());
    if (wait !== null) {
      await this.auditAnonymousSignIn(requestId);
      throw new ServiceError('too_many_requests', `too many sign-in attempts; try again in ${wait} s`, {
        retryAfterSeconds: wait,
      });
    }
    const user = await this.store.read((tx) => tx.getUserByUsername(username));
    // Always one scrypt, whether the user exists, is locked or is disabled: timing tells nothing.
    this.dummyHash ??= this.hash(generatePassword());
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    const failure = unauthenticated('wrong username or password, or the account is locked or disabled');
    if (!user) {
      await this.auditAnonymousSignIn(requestId);
      throw failure;
    }
    const ctx: RequestContext = { actor: this.actorOf(user, [], null), requestId };
    const target = { action: 'auth.login', patientId: null, entityType: 'user', entityId: user.id };
    const session = await audited<NewSession | null>(this.store, this.clock, ctx, target, async (tx) => {
      // Decide on the row as it is now, locked (on PostgreSQL) by this first update: attempts
      // made in parallel then queue, each sees the count and lock the previous one wrote, and a
      // right guess among many wrong ones cannot lift a lock they set.
      await tx.updateUser(user.id, { updatedAt: now.toISOString() });
      const current = (await tx.getUserById(user.id))!;
      const locked = current.lockedUntil !== null && current.lockedUntil > now.toISOString();
      const usable = !locked && !current.disabled;
      if (passwordOk && usable && current.passwordHash === user.passwordHash) {
        await tx.updateUser(user.id, { failedLogins: 0, lockedUntil: null, updatedAt: now.toISOString() });
        return { result: await this.createSession(tx, current) };
      }
      if (usable) await this.countFailure(tx, current, now);
      return { result: null, outcome: 'denied' };
    });
    if (!session) throw failure;
    return session;
  }

  /** One more failed attempt; the last allowed one locks the account for lockoutMinutes. */
  private async countFailure(tx: StoreTx, user: UserRecord, now: Date): Promise<void> {
    const failedLogins = user.failedLogins + 1;
    const lock = failedLogins >= this.security.lockoutAttempts;
    await tx.updateUser(user.id, {
      failedLogins: lock ? 0 : failedLogins,
      lockedUntil: lock
        ? new Date(now.getTime() + this.security.lockoutMinutes * 60_000).toISOString()
        : user.lockedUntil,
      updatedAt: now.toISOString(),
    });
  }

  /** A refused sign-in with no known account behind it (unknown username, too many attempts). */
  private async auditAnonymousSignIn(requestId: string | null): Promise<void> {
    const event = {
      at: this.clock().toISOString(),
      actorUserId: null,
      actorRole: null,
      action: 'auth.login',
      patientId: null,
      entityType: 'user',
      entityId: null,
      requestId,
      outcome: 'denied' as const,
    };
    await this.store.transaction((tx) => tx.appendAudit([event]));
  }

  private async createSession(tx: StoreTx, user: UserRecord): Promise<NewSession> {
    const now = this.clock();
    const sessionToken = randomToken();
    const csrfToken = randomToken();
    const expiresAt = new Date(now.getTime() + this.security.sessionHours * 3_600_000).toISOString();
    await tx.insertSession({
      idHash: sha256(sessionToken),
      userId: user.id,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { sessionToken, csrfToken, expiresAt, user: await this.publicUser(tx, user) };
  }

  async logout(sessionToken: string): Promise<void> {
    await this.store.transaction((tx) => tx.deleteSession(sha256(sessionToken)));
  }

  private actorOf(user: UserRecord, siteIds: string[], patientId: string | null): Actor {
    return {
      userId: user.id,
      username: user.username,
      role: user.role,
      siteIds,
      patientId,
      mustChangePassword: user.mustChangePassword,
    };
  }

  private async actorFor(tx: StoreTx, userId: string): Promise<Actor | null> {
    const user = await tx.getUserById(userId);
    if (!user || user.disabled) return null;
    const pub = await this.publicUser(tx, user);
    return this.actorOf(user, pub.siteIds, pub.patientId);
  }

  /** The actor behind a session cookie, with the session's CSRF token; null when invalid or expired. */
  async authenticateSession(sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | null> {
    return this.store.read(async (tx) => {
      const session = await tx.getSession(sha256(sessionToken));
      if (!session) return null;
      if (session.expiresAt <= this.clock().toISOString()) {
        await this.store.transaction((write) => write.deleteSession(session.idHash));
        return null;
      }
      const actor = await this.actorFor(tx, session.userId);
      return actor && { actor, csrfToken: session.csrfToken };
    });
  }

  /** The actor behind an API token; null when unknown or revoked. */
  async authenticateApiToken(token: string): Promise<Actor | null> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return null;
    return this.store.read(async (tx) => {
      const record = await tx.getApiTokenByHash(sha256(token));
      if (!record || record.revokedAt !== null) return null;
      return this.actorFor(tx, record.userId);
    });
  }

  async me(ctx: RequestContext): Promise<PublicUser> {
    return this.store.transaction(async (tx) => {
      const user = await tx.getUserById(ctx.actor.userId);
      if (!user) throw unauthenticated();
      return this.publicUser(tx, user);
    });
  }

  /**
   * Changes one's own password; every session of the user ends and a new one is returned. A wrong
   * current password counts toward the lockout, like a failed sign-in.
   */
  async changePassword(ctx: RequestContext, currentPassword: string, newPassword: string): Promise<NewSession> {
    this.checkPasswordPolicy(newPassword, 'body.newPassword');
    if (newPassword === currentPassword) {
      throw new InvalidInputError([{ path: 'body.newPassword', message: 'must differ from the current password' }]);
    }
    const user = await this.store.read((tx) => tx.getUserById(ctx.actor.userId));
    if (!user) throw unauthenticated();
    const passwordOk = await verifyPassword(currentPassword, user.passwordHash);
    const passwordHash = passwordOk ? await this.hash(newPassword) : null;
    const target = { action: 'auth.password-change', patientId: null, entityType: 'user', entityId: user.id };
    const session = await audited<NewSession | null>(this.store, this.clock, ctx, target, async (tx) => {
      const now = this.clock();
      await tx.updateUser(user.id, { updatedAt: now.toISOString() });
      const current = (await tx.getUserById(user.id))!;
      const locked = current.lockedUntil !== null && current.lockedUntil > now.toISOString();
      if (passwordHash !== null && !locked && current.passwordHash === user.passwordHash) {
        await tx.updateUser(user.id, { passwordHash, mustChangePassword: false, updatedAt: now.toISOString() });
        await tx.deleteSessionsOfUser(user.id);
        return { result: await this.createSession(tx, { ...current, passwordHash, mustChangePassword: false }) };
      }
      if (!locked) await this.countFailure(tx, current, now);
      return { result: null, outcome: 'denied' };
    });
    if (!session) {
      throw new InvalidInputError([
        { path: 'body.currentPassword', message: 'is not the current password, or the account is locked' },
      ]);
    }
    return session;
  }

  /** An admin sets a new one-time password: the user must change it at next sign-in. */
  async resetPassword(ctx: RequestContext, userId: string): Promise<{ password: string }> {
    const password = generatePassword();
    const passwordHash = await this.hash(password);
    const target = { action: 'user.password-reset', patientId: null, entityType: 'user', entityId: userId };
    return audited(this.store, this.clock, ctx, target, async (tx) => {
      if (!(await tx.getUserById(userId))) throw notFound('user');
      await tx.updateUser(userId, {
        passwordHash,
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        updatedAt: this.clock().toISOString(),
      });
      await tx.deleteSessionsOfUser(userId);
      return { result: { password } };
    });
  }

  async createApiToken(ctx: RequestContext, name: string): Promise<{ id: string; name: string; token: string }> {
    const token = API_TOKEN_PREFIX + randomToken();
    const id = randomUUID();
    const target = { action: 'token.create', patientId: null, entityType: 'api-token', entityId: id };
    return audited(this.store, this.clock, ctx, target, async (tx) => {
      const existing = await tx.listApiTokens(ctx.actor.userId);
      if (existing.some((t) => t.name === name && t.revokedAt === null)) {
        throw conflict(`you already have a token named "${name}"`);
      }
      await tx.insertApiToken({
        id,
        userId: ctx.actor.userId,
        name,
        tokenHash: sha256(token),
        createdAt: this.clock().toISOString(),
        revokedAt: null,
      });
      return { result: { id, name, token } };
    });
  }

  async listApiTokens(ctx: RequestContext): Promise<Omit<ApiTokenRecord, 'tokenHash'>[]> {
    const tokens = await this.store.read((tx) => tx.listApiTokens(ctx.actor.userId));
    return tokens.map(({ tokenHash: _hash, ...rest }) => rest);
  }

  async revokeApiToken(ctx: RequestContext, id: string): Promise<void> {
    const target = { action: 'token.revoke', patientId: null, entityType: 'api-token', entityId: id };
    await audited(this.store, this.clock, ctx, target, async (tx) => {
      if (!(await tx.revokeApiToken(id, ctx.actor.userId, this.clock().toISOString()))) throw notFound('token');
      return { result: undefined };
    });
  }
}
