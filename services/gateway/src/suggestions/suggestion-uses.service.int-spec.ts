// Suggestion use against the real Postgres: validated, one verdict per message and agent (the
// first stands), counted per tenant.
import type { DataSource } from 'typeorm';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, quietLogger, uniqueName } from '@switchboard/testing';
import type { Agent } from '../agents/agents.service';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { SuggestionUses1786500000002 } from '../migrations/1786500000002-suggestion-uses';
import { SuggestionUsesService } from './suggestion-uses.service';

describe('SuggestionUsesService', () => {
  const tenantId = uniqueName('tenant')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  const other = `${tenantId}-b`;
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let uses: SuggestionUsesService;
  const agent = (username: string, tenant = tenantId): Agent => ({
    tenantId: tenant,
    actor: { kind: 'user', id: username },
    role: 'agent',
    departments: [],
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(
      { url: database.url, schema: 'gateway', entities: [], migrations: [Tenants1732500000000, SuggestionUses1786500000002] },
      quietLogger(),
    );
    await db.query("insert into gateway.tenants (id, name) values ($1, 'a'), ($2, 'b')", [tenantId, other]);
    uses = new SuggestionUsesService(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('records one verdict per message and agent, the first standing, and counts them per tenant', async () => {
    expect(await uses.record(agent('sam'), 'c1', { turnId: 't1', outcome: 'edited' })).toMatchObject({
      conversationId: 'c1',
      turnId: 't1',
      agent: 'sam',
      outcome: 'edited',
    });
    expect(await uses.record(agent('sam'), 'c1', { turnId: 't1', outcome: 'accepted' })).toMatchObject({ outcome: 'edited' });
    await uses.record(agent('olga'), 'c1', { turnId: 't1', outcome: 'accepted' });
    await uses.record(agent('sam'), 'c1', { turnId: 't2', outcome: 'ignored' });
    await uses.record(agent('kim', other), 'c9', { turnId: 't1', outcome: 'accepted' });

    const mine = await uses.list(agent('lee'), {});
    expect(mine.totals).toEqual({ accepted: 1, edited: 1, ignored: 1 });
    expect(mine.uses.map((u) => `${u.agent}:${u.turnId}:${u.outcome}`).sort()).toEqual([
      'olga:t1:accepted',
      'sam:t1:edited',
      'sam:t2:ignored',
    ]);
  });

  it('refuses a bad body, naming each field, and stores nothing', async () => {
    await expect(uses.record(agent('sam'), 'c2', { turnId: '', outcome: 'liked', text: 'x' })).rejects.toThrow(
      "text is not a field (only turnId and outcome); turnId is required: the customer message's turn id the suggestion was for (forMessage); outcome is required: one of accepted, edited, ignored",
    );
    await expect(uses.list(agent('lee'), { limit: '0' })).rejects.toThrow('limit must be a whole number between 1 and 1000');
    expect((await db.query("select count(*)::int as n from gateway.suggestion_uses where conversation_id = 'c2'"))[0].n).toBe(0);
  });
});
