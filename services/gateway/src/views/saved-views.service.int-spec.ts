// Saved inbox views against the real Postgres: validated, per user, replaced by name, deleted only by their owner.
import type { DataSource } from 'typeorm';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, quietLogger, uniqueName } from '@switchboard/testing';
import type { Agent } from '../agents/agents.service';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { SavedViews1786500000003 } from '../migrations/1786500000003-saved-views';
import { SavedViewsService } from './saved-views.service';

describe('SavedViewsService', () => {
  const tenantId = uniqueName('tenant')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let views: SavedViewsService;
  const agent = (username: string): Agent => ({ tenantId, actor: { kind: 'user', id: username }, role: 'agent', departments: [] });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(
      { url: database.url, schema: 'gateway', entities: [], migrations: [Tenants1732500000000, SavedViews1786500000003] },
      quietLogger(),
    );
    await db.query("insert into gateway.tenants (id, name) values ($1, 'a')", [tenantId]);
    views = new SavedViewsService(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("keeps each user's views to themselves, replacing one saved again under its name", async () => {
    const first = await views.save(agent('sam'), { name: 'My orders', filters: { queue: 'mine', department: 'orders' } });
    expect(first.filters).toEqual({ queue: 'mine', department: 'orders', status: 'active' });
    const again = await views.save(agent('sam'), {
      name: 'My orders',
      filters: { queue: 'mine', department: 'orders', status: 'resolved' },
    });
    expect(again.id).toBe(first.id);
    await views.save(agent('olga'), { name: 'Unassigned', filters: { queue: 'unassigned' } });
    expect((await views.list(agent('sam'))).savedViews).toMatchObject([{ name: 'My orders', filters: { status: 'resolved' } }]);

    await expect(views.remove(agent('olga'), first.id)).rejects.toThrow(/not found among yours/);
    // An id that only looks like one (36 dashes) is "not found" too, not a database error.
    await expect(views.remove(agent('sam'), '-'.repeat(36))).rejects.toThrow(/not found among yours/);
    await views.remove(agent('sam'), first.id);
    expect((await views.list(agent('sam'))).savedViews).toEqual([]);
    expect((await views.list(agent('olga'))).savedViews.map((v) => v.name)).toEqual(['Unassigned']);
  });

  it('refuses bad filters, naming each, and stores nothing', async () => {
    await expect(views.save(agent('kim'), { name: '', filters: { queue: 'everything', status: 'lost', colour: 'red' } })).rejects.toThrow(
      'name is required: 1 to 60 characters; filters.colour is not an inbox filter (queue, department, status); filters.queue is required: one of mine, unassigned, all; filters.status must be one of active, open, assigned, waiting_on_customer, resolved, closed',
    );
    expect((await views.list(agent('kim'))).savedViews).toEqual([]);
  });
});
