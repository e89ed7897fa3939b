// Admins manage who may use the tenant: users (agents, senior agents, supervisors, admins) and API
// keys. Passwords and keys never come back out; a changed or disabled account's tokens stop working.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { FieldRules, type FieldViolation } from '@switchboard/contracts';
import { CONFIG } from '@switchboard/platform';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import { AccessTokens } from '../auth/access-tokens';
import { API_SCOPES, ApiKeyService, type ApiScope } from '../auth/api-key.service';
import { ApiKeyRepository } from '../auth/api-key.repository';
import { PasswordHasher, passwordProblem } from '../auth/password-hasher';
import { ROLES, type Principal, type Role } from '../auth/roles';
import { publicUser, USERNAME } from '../auth/sign-in.service';
import { UserRepository } from '../auth/user.repository';
import type { GatewayConfig } from '../config';
import { GatewayError } from '../gateway.errors';
import { PresenceService } from '../presence/presence.service';

const DEPARTMENT = /^[a-z0-9][a-z0-9_-]{0,63}$/;

type Body = Record<string, unknown>;

/** Checks the account fields present in `body` (all of them when `creating`); throws naming every bad field. */
function accountFields(
  body: Body,
  creating: boolean,
): { username?: string; displayName?: string; role?: Role; departments?: string[]; password?: string; disabled?: boolean } {
  const problems: FieldViolation[] = [];
  const bad = (field: string, problem: string) => problems.push({ field, problem });
  const has = (field: string) => body[field] !== undefined;
  if (creating || has('username')) {
    if (!creating) bad('username', 'cannot be changed');
    else if (typeof body.username !== 'string' || !USERNAME.test(body.username))
      bad('username', 'must be 1-64 lowercase letters, digits, . _ @ or -, starting with a letter or digit');
  }
  if (has('displayName') && (typeof body.displayName !== 'string' || [...body.displayName].length > 100))
    bad('displayName', 'must be a string of at most 100 characters');
  if ((creating || has('role')) && !ROLES.includes(body.role as Role)) bad('role', `must be one of ${ROLES.join(', ')}`);
  if (
    has('departments') &&
    (!Array.isArray(body.departments) ||
      body.departments.length > 20 ||
      !body.departments.every((d) => typeof d === 'string' && DEPARTMENT.test(d)))
  ) {
    bad('departments', 'must be a list of at most 20 department ids (lowercase letters, digits, _ or -)');
  }
  if (creating || has('password')) {
    const problem = passwordProblem(body.password);
    if (problem) bad('password', problem);
  }
  if (has('disabled') && typeof body.disabled !== 'boolean') bad('disabled', 'must be true or false');
  if (!creating && !['displayName', 'role', 'departments', 'password', 'disabled'].some(has) && problems.length === 0)
    bad('body', 'nothing to change: send role, departments, displayName, password or disabled');
  if (problems.length > 0) throw GatewayError.invalid(problems);
  return {
    username: body.username as string | undefined,
    displayName: body.displayName as string | undefined,
    role: body.role as Role | undefined,
    departments: body.departments as string[] | undefined,
    password: body.password as string | undefined,
    disabled: body.disabled as boolean | undefined,
  };
}

/** A path id, checked with the shared UUID rule. */
function ensureId(id: string, problem: string): void {
  if (new FieldRules().uuid('id', id).violations.length > 0) throw GatewayError.invalid([{ field: 'id', problem }]);
}

function supervisorNeedsDepartments(role: Role | undefined, departments: string[] | undefined): void {
  if (role === 'supervisor' && (departments ?? []).length === 0)
    throw GatewayError.invalid([{ field: 'departments', problem: 'is required for a supervisor: the departments they supervise' }]);
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly keys: ApiKeyService,
    private readonly keyRecords: ApiKeyRepository,
    @Inject(CONFIG) private readonly config: Pick<GatewayConfig, 'RATE_LIMIT_KEY_MAX_PER_MIN'>,
    private readonly presence: PresenceService,
    readonly audit?: AuditTrail,
  ) {}

  @Audited('user.create', 'user', (args) => (args[1] as Body | undefined)?.username)
  async createUser(admin: Principal, body: Body) {
    const fields = accountFields(body, true);
    supervisorNeedsDepartments(fields.role, fields.departments);
    const user = await this.users.insert({
      id: randomUUID(),
      tenantId: admin.tenantId,
      username: fields.username!,
      displayName: fields.displayName ?? '',
      role: fields.role!,
      departments: fields.departments ?? [],
      passwordHash: await this.passwords.hash(fields.password!),
    });
    if (!user) throw GatewayError.invalid([{ field: 'username', problem: `"${fields.username}" is taken in this tenant` }]);
    return publicUser(user);
  }

  @Audited('user.list', 'user')
  async listUsers(admin: Principal) {
    return {
      users: (await this.users.list(admin.tenantId)).map((u) => ({
        ...publicUser(u),
        disabled: u.disabledAt !== null,
        createdAt: u.createdAt,
      })),
    };
  }

  @Audited('user.update', 'user', 1)
  async updateUser(admin: Principal, userId: string, body: Body) {
    ensureId(userId, 'must be a user id (UUID)');
    const fields = accountFields(body, false);
    const current = await this.users.find(admin.tenantId, userId);
    if (!current) throw new GatewayError('NOT_FOUND', `no user ${userId} in this tenant`);
    supervisorNeedsDepartments(fields.role ?? current.role, fields.departments ?? current.departments);
    const passwordHash = fields.password === undefined ? undefined : await this.passwords.hash(fields.password);
    const user = await this.users.update(admin.tenantId, userId, {
      displayName: fields.displayName,
      role: fields.role,
      departments: fields.departments,
      disabled: fields.disabled,
      passwordHash,
    });
    if (!user) throw new GatewayError('NOT_FOUND', `no user ${userId} in this tenant`);
    // Tokens carry the role and departments: the old ones must not outlive the change.
    if (fields.role !== undefined || fields.departments !== undefined || fields.disabled === true || passwordHash !== undefined) {
      await this.users.revokeAllOf(admin.tenantId, userId);
      await this.tokens.revokeAllOf(admin.tenantId, userId);
      await this.presence.end(admin.tenantId, user.username);
    }
    return { ...publicUser(user), disabled: user.disabledAt !== null };
  }

  @Audited('api_key.create', 'api_key')
  async createKey(admin: Principal, body: Body) {
    const problems: FieldViolation[] = [];
    if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 100)
      problems.push({ field: 'name', problem: 'is required: 1-100 characters saying what uses the key' });
    const scopes = body.scopes;
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => API_SCOPES.includes(s as ApiScope)))
      problems.push({ field: 'scopes', problem: `must be a non-empty list of ${API_SCOPES.join(', ')}` });
    const limit = requestsPerMinuteOf(body, problems, this.config.RATE_LIMIT_KEY_MAX_PER_MIN);
    if (problems.length > 0) throw GatewayError.invalid(problems);
    const issued = await this.keys.addKey(
      admin.tenantId,
      (body.name as string).trim(),
      [...new Set(scopes as ApiScope[])],
      limit ?? undefined,
    );
    return {
      id: issued.id,
      key: issued.key,
      prefix: issued.prefix,
      scopes: [...new Set(scopes as ApiScope[])],
      requestsPerMinute: limit ?? null,
      note: 'the key is shown only now: store it in your secret manager',
    };
  }

  /** Sets a key's own requests-per-minute limit (null: back to the gateway's default). */
  @Audited('api_key.update', 'api_key', 1)
  async updateKey(admin: Principal, keyId: string, body: Body) {
    ensureId(keyId, 'must be an API key id (UUID)');
    const problems: FieldViolation[] = [];
    const unknown = Object.keys(body).filter((field) => field !== 'requestsPerMinute');
    for (const field of unknown)
      problems.push({ field, problem: 'is not a field of an API key that can be changed (only requestsPerMinute)' });
    if (!('requestsPerMinute' in body))
      problems.push({
        field: 'requestsPerMinute',
        problem: `is required: ${requestsPerMinuteRule(this.config.RATE_LIMIT_KEY_MAX_PER_MIN)}, or null for the gateway's default`,
      });
    const limit = requestsPerMinuteOf(body, problems, this.config.RATE_LIMIT_KEY_MAX_PER_MIN);
    if (problems.length > 0) throw GatewayError.invalid(problems);
    if (!(await this.keys.setRequestsPerMinute(admin.tenantId, keyId, limit)))
      throw new GatewayError('NOT_FOUND', `no active API key ${keyId} in this tenant`);
    return { id: keyId, requestsPerMinute: limit };
  }

  @Audited('api_key.list', 'api_key')
  async listKeys(admin: Principal) {
    return { keys: await this.keyRecords.list(admin.tenantId) };
  }

  @Audited('api_key.revoke', 'api_key', 1)
  async revokeKey(admin: Principal, keyId: string) {
    ensureId(keyId, 'must be an API key id (UUID)');
    if (!(await this.keys.revoke(admin.tenantId, keyId))) throw new GatewayError('NOT_FOUND', `no active API key ${keyId} in this tenant`);
    return { id: keyId, revoked: true };
  }
}

/** What a key's own limit may be: up to the operator's ceiling (RATE_LIMIT_KEY_MAX_PER_MIN). */
const requestsPerMinuteRule = (max: number) => `a whole number from 1 to ${max} (this gateway's ceiling)`;

/** `requestsPerMinute` of a request body: absent or null is the default (null); else checked. */
function requestsPerMinuteOf(body: Body, problems: FieldViolation[], max: number): number | null {
  const value = body.requestsPerMinute;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    problems.push({ field: 'requestsPerMinute', problem: `must be ${requestsPerMinuteRule(max)}, or null for the gateway's default` });
    return null;
  }
  return value;
}
