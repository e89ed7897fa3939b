// @mentions against the real Postgres: only users who can open the ticket may be mentioned (else
// nothing is stored), and each sees their own unseen mentions until they open the ticket.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, quietLogger, uniqueName } from '@switchboard/testing';
import type { Agent } from '../agents/agents.service';
import type { Role } from '../auth/roles';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { Users1768000000000 } from '../migrations/1768000000000-users';
import { NoteMentions1786500000001 } from '../migrations/1786500000001-note-mentions';
import { mentionsIn, MentionsService } from './mentions.service';

describe('mentionsIn', () => {
  it('finds @names, once each, without the trailing full stop, and not the @ of an email address', () => {
    expect(mentionsIn('@Sam and @vera.k, see @sam. Mail yara@example.com (cc @ann-1)')).toEqual(['sam', 'vera.k', 'ann-1']);
    expect(mentionsIn('no mention here @ all')).toEqual([]);
  });
});

describe('MentionsService', () => {
  const tenantId = uniqueName('tenant')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let mentions: MentionsService;
  const agent = (username: string, role: Role = 'agent', departments: string[] = []): Agent => ({
    tenantId,
    actor: { kind: 'user', id: username },
    role,
    departments,
  });
  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => 'ok',
      (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(
      {
        url: database.url,
        schema: 'gateway',
        entities: [],
        migrations: [Tenants1732500000000, Users1768000000000, NoteMentions1786500000001],
      },
      quietLogger(),
    );
    await db.query("insert into gateway.tenants (id, name) values ($1, 'a')", [tenantId]);
    const users: Array<[string, Role, string[], boolean?]> = [
      ['sam', 'agent', []],
      ['olga', 'agent', ['orders']],
      ['eve', 'agent', ['escalations']],
      ['vera', 'supervisor', ['escalations']],
      ['lee', 'admin', []],
      ['gone', 'agent', [], true],
    ];
    for (const [username, role, departments, disabled] of users) {
      await db.query(
        `insert into gateway.users (id, tenant_id, username, password_hash, role, departments, disabled_at) values ($1, $2, $3, 'x', $4, $5, ${disabled ? 'now()' : 'null'})`,
        [randomUUID(), tenantId, username, role, departments],
      );
    }
    mentions = new MentionsService(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('accepts users who can open a ticket of the department, and names everyone else', async () => {
    expect(await mentions.mentionable(agent('sam'), 'orders', '@olga and @sam (myself): please look')).toEqual(['olga']);
    expect(await refusal(mentions.mentionable(agent('sam'), 'orders', '@eve @vera @lee @gone @nobody'))).toBe(
      'INVALID_ARGUMENT: text mentions @gone, @nobody, who are not users of this tenant; text mentions @eve, @vera, @lee, who cannot open tickets of department "orders"',
    );
  });

  it('keeps each mention unseen until its user opens the ticket, and shows nobody else', async () => {
    await mentions.record(agent('sam'), 'ticket-1', 'note-1', ['olga']);
    await mentions.record(agent('vera', 'supervisor', ['escalations']), 'ticket-2', 'note-2', ['eve', 'sam']);
    expect((await mentions.unseen(agent('olga'))).mentions).toMatchObject([{ ticketId: 'ticket-1', noteId: 'note-1', author: 'sam' }]);
    expect((await mentions.unseen(agent('sam'))).mentions.map((m) => m.ticketId)).toEqual(['ticket-2']);
    await mentions.seen(agent('sam'), 'ticket-2');
    expect((await mentions.unseen(agent('sam'))).mentions).toEqual([]);
    expect((await mentions.unseen(agent('eve'))).mentions.map((m) => m.ticketId)).toEqual(['ticket-2']);
    expect((await mentions.unseen({ ...agent('olga'), tenantId: `${tenantId}-other` })).mentions).toEqual([]);
  });

  it('forgets the mentions of a note that was not added, in its own tenant only', async () => {
    await mentions.record(agent('sam'), 'ticket-3', 'note-3', ['lee']);
    await mentions.forget(`${tenantId}-other`, 'note-3');
    expect((await mentions.unseen(agent('lee'))).mentions.map((m) => m.noteId)).toEqual(['note-3']);
    await mentions.forget(tenantId, 'note-3');
    expect((await mentions.unseen(agent('lee'))).mentions).toEqual([]);
  });
});
