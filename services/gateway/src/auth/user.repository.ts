// Agents' and admins' accounts and their refresh tokens, in the gateway schema. Every query names
// the tenant, except the refresh-token lookup, whose random token is itself the credential.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from './roles';

export interface UserRecord {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  role: Role;
  departments: string[];
  createdAt: Date;
  disabledAt: Date | null;
}

export interface RefreshTokenRecord {
  id: string;
  tenantId: string;
  userId: string;
  familyId: string;
  /** When the session (the family) began: its sign-in. */
  sessionStartedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

const USER_COLUMNS = `id, tenant_id as "tenantId", username, display_name as "displayName", role, departments, created_at as "createdAt", disabled_at as "disabledAt"`;

/** TypeORM returns `[rows, count]` for UPDATE and DELETE, rows otherwise. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

@Injectable()
export class UserRepository {
  constructor(private readonly db: DataSource) {}

  async insert(user: Omit<UserRecord, 'createdAt' | 'disabledAt'> & { passwordHash: string }): Promise<UserRecord | undefined> {
    const rows = await this.db.query<unknown[]>(
      `insert into gateway.users (id, tenant_id, username, display_name, password_hash, role, departments) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (tenant_id, username) do nothing returning ${USER_COLUMNS}`,
      [user.id, user.tenantId, user.username, user.displayName, user.passwordHash, user.role, user.departments],
    );
    return rowsOf<UserRecord>(rows)[0];
  }

  /** Whether the tenant exists: failed sign-ins are audited only for real tenants. */
  async tenantExists(tenantId: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>('select 1 from gateway.tenants where id = $1', [tenantId]);
    return rows.length > 0;
  }

  /** The active user and their password hash, for signing in. */
  async findForSignIn(tenantId: string, username: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    const rows = await this.db.query<Array<UserRecord & { passwordHash: string }>>(
      `select ${USER_COLUMNS}, password_hash as "passwordHash" from gateway.users where tenant_id = $1 and username = $2 and disabled_at is null`,
      [tenantId, username],
    );
    return rows[0];
  }

  async find(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRecord[]>(`select ${USER_COLUMNS} from gateway.users where tenant_id = $1 and id = $2`, [
      tenantId,
      id,
    ]);
    return rows[0];
  }

  async list(tenantId: string): Promise<UserRecord[]> {
    return this.db.query<UserRecord[]>(`select ${USER_COLUMNS} from gateway.users where tenant_id = $1 order by username`, [tenantId]);
  }

  async update(
    tenantId: string,
    id: string,
    change: { displayName?: string; role?: Role; departments?: string[]; disabled?: boolean; passwordHash?: string },
  ): Promise<UserRecord | undefined> {
    const rows = await this.db.query<unknown[]>(
      `update gateway.users set role = coalesce($3, role), departments = coalesce($4, departments), password_hash = coalesce($5, password_hash),
         disabled_at = case when $6::boolean is null then disabled_at when $6 then coalesce(disabled_at, now()) else null end,
         display_name = coalesce($7, display_name)
       where tenant_id = $1 and id = $2 returning ${USER_COLUMNS}`,
      [
        tenantId,
        id,
        change.role ?? null,
        change.departments ?? null,
        change.passwordHash ?? null,
        change.disabled ?? null,
        change.displayName ?? null,
      ],
    );
    return rowsOf<UserRecord>(rows)[0];
  }

  async insertRefreshToken(token: {
    id: string;
    tenantId: string;
    userId: string;
    familyId: string;
    sessionStartedAt: Date;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.query(
      'insert into gateway.refresh_tokens (id, tenant_id, user_id, family_id, session_started_at, token_hash, expires_at) values ($1, $2, $3, $4, $5, $6, $7)',
      [token.id, token.tenantId, token.userId, token.familyId, token.sessionStartedAt, token.tokenHash, token.expiresAt],
    );
  }

  /**
   * Marks the token used and returns it as it was before; of two concurrent uses only one sees
   * `usedAt` null, so a stolen token raced against its owner is caught as reuse.
   */
  async useRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const rows = await this.db.query<unknown[]>(
      `update gateway.refresh_tokens t set used_at = coalesce(t.used_at, now())
         from (select id, used_at from gateway.refresh_tokens where token_hash = $1 for update) before
        where t.id = before.id
        returning t.id, t.tenant_id as "tenantId", t.user_id as "userId", t.family_id as "familyId", t.session_started_at as "sessionStartedAt", t.expires_at as "expiresAt", before.used_at as "usedAt", t.revoked_at as "revokedAt"`,
      [tokenHash],
    );
    return rowsOf<RefreshTokenRecord>(rows)[0];
  }

  async revokeFamily(tenantId: string, familyId: string): Promise<void> {
    await this.db.query(
      'update gateway.refresh_tokens set revoked_at = coalesce(revoked_at, now()) where tenant_id = $1 and family_id = $2',
      [tenantId, familyId],
    );
  }

  async revokeAllOf(tenantId: string, userId: string): Promise<void> {
    await this.db.query(
      'update gateway.refresh_tokens set revoked_at = coalesce(revoked_at, now()) where tenant_id = $1 and user_id = $2',
      [tenantId, userId],
    );
  }
}
