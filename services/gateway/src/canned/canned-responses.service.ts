// Canned responses: the tenant's set, which supervisors and admins (or an admin API key) keep, and
// each signed-in user's personal set. Everyone in the tenant reads the tenant's set and their own;
// nobody reads another user's personal set (it answers 404, as if it did not exist).
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@switchboard/contracts';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { parseCannedResponse, type CannedResponse, type CannedScope } from './canned-response';

interface Row {
  id: string;
  owner: string | null;
  shortcut: string;
  title: string;
  body: string;
  created_by: string;
  updated_at: Date;
}

const COLUMNS = 'id, owner, shortcut, title, body, created_by, updated_at';

function toResponse(row: Row): CannedResponse {
  return {
    id: row.id,
    scope: row.owner === null ? 'tenant' : 'personal',
    shortcut: row.shortcut,
    title: row.title,
    text: row.body,
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The owner column for `scope`: null for the tenant's set, the user's name for their own. */
function ownerFor(caller: Principal, scope: CannedScope): string | null {
  if (scope === 'tenant') {
    if (caller.actor.kind === 'api_key' || caller.role === 'admin' || caller.role === 'supervisor') return null;
    throw new GatewayError(
      'PERMISSION_DENIED',
      `the tenant's canned responses are kept by supervisors and admins; you are signed in as ${caller.role}: use scope "personal" for your own`,
    );
  }
  if (caller.actor.kind !== 'user')
    throw new GatewayError('PERMISSION_DENIED', 'an API key has no personal canned responses: use scope "tenant"');
  return caller.actor.id;
}

const duplicate = (shortcut: string, owner: string | null) =>
  new GatewayError(
    'ALREADY_EXISTS',
    `"/${shortcut}" is already one of ${owner === null ? "the tenant's" : 'your'} canned responses: change that one, or pick another shortcut`,
  );

const isUniqueViolation = (error: unknown) => (error as { driverError?: { code?: string } }).driverError?.code === '23505';

@Injectable()
export class CannedResponsesService {
  constructor(
    private readonly db: DataSource,
    readonly audit?: AuditTrail,
  ) {}

  /** The caller's own, then the tenant's, each by shortcut (the order the console's picker shows). */
  async list(caller: Principal): Promise<{ cannedResponses: CannedResponse[] }> {
    const owner = caller.actor.kind === 'user' ? caller.actor.id : null;
    const rows: Row[] = await this.db.query(
      `select ${COLUMNS} from gateway.canned_responses where tenant_id = $1 and (owner is null or owner = $2) order by owner is null, shortcut`,
      [caller.tenantId, owner],
    );
    return { cannedResponses: rows.map(toResponse) };
  }

  @Audited('canned_response.create', 'canned_response', (args) => (args[1] as { shortcut?: unknown }).shortcut)
  async create(caller: Principal, body: Record<string, unknown>): Promise<CannedResponse> {
    const input = parseCannedResponse(body);
    const owner = ownerFor(caller, input.scope);
    try {
      const rows: Row[] = await this.db.query(
        `insert into gateway.canned_responses (id, tenant_id, owner, shortcut, title, body, created_by) values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
        [randomUUID(), caller.tenantId, owner, input.shortcut, input.title, input.text, caller.actor.id],
      );
      return toResponse(rows[0]);
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate(input.shortcut, owner) : error;
    }
  }

  @Audited('canned_response.update', 'canned_response', 1)
  async update(caller: Principal, id: string, body: Record<string, unknown>): Promise<CannedResponse> {
    const patch = parseCannedResponse(body, true);
    const current = await this.writable(caller, id);
    const shortcut = patch.shortcut ?? current.shortcut;
    try {
      // An update ... returning answers [rows, affected count] through TypeORM's postgres driver.
      const [rows]: [Row[], number] = await this.db.query(
        `update gateway.canned_responses set shortcut = $3, title = $4, body = $5, updated_at = now() where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
        [caller.tenantId, id, shortcut, patch.title === undefined ? current.title : patch.title || shortcut, patch.text ?? current.body],
      );
      return toResponse(rows[0]);
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate(shortcut, current.owner) : error;
    }
  }

  @Audited('canned_response.delete', 'canned_response', 1)
  async remove(caller: Principal, id: string): Promise<void> {
    await this.writable(caller, id);
    await this.db.query('delete from gateway.canned_responses where tenant_id = $1 and id = $2', [caller.tenantId, id]);
  }

  /** The row `caller` may change: their own, or the tenant's when they keep the tenant's set. */
  private async writable(caller: Principal, id: string): Promise<Row> {
    const notFound = new GatewayError(
      'NOT_FOUND',
      `canned response ${id} not found among yours or the tenant's: list them with GET /v1/canned-responses`,
    );
    if (!isUuid(id)) throw notFound;
    const rows: Row[] = await this.db.query(`select ${COLUMNS} from gateway.canned_responses where tenant_id = $1 and id = $2`, [
      caller.tenantId,
      id,
    ]);
    const row = rows[0];
    if (!row || (row.owner !== null && (caller.actor.kind !== 'user' || row.owner !== caller.actor.id))) throw notFound;
    if (row.owner === null) ownerFor(caller, 'tenant');
    return row;
  }
}
