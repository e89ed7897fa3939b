// Canned responses against the real Postgres: who keeps which set, who sees what, and that a
// refused change stores nothing.
import type { DataSource } from 'typeorm';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, quietLogger, uniqueName } from '@switchboard/testing';
import type { Principal, Role } from '../auth/roles';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { CannedResponses1786500000000 } from '../migrations/1786500000000-canned-responses';
import { CannedResponsesService } from './canned-responses.service';

describe('CannedResponsesService', () => {
  const tenantId = uniqueName('tenant')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  const otherTenant = `${tenantId}-b`;
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let canned: CannedResponsesService;
  const user = (username: string, role: Role, tenant = tenantId): Principal => ({
    tenantId: tenant,
    actor: { kind: 'user', id: username },
    role,
    departments: [],
  });
  const apiKey: Principal = { tenantId, actor: { kind: 'api_key', id: 'key-1' }, departments: [] };
  const codeOf = (call: Promise<unknown>) =>
    call.then(
      () => 'ok',
      (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(
      { url: database.url, schema: 'gateway', entities: [], migrations: [Tenants1732500000000, CannedResponses1786500000000] },
      quietLogger(),
    );
    await db.query("insert into gateway.tenants (id, name) values ($1, 'a'), ($2, 'b')", [tenantId, otherTenant]);
    canned = new CannedResponsesService(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("lets supervisors, admins and admin keys keep the tenant's set, and every user their own", async () => {
    const greeting = await canned.create(user('vera', 'supervisor'), {
      scope: 'tenant',
      shortcut: 'greet',
      title: 'Greeting',
      text: 'Hello {{first_name}}!',
    });
    expect(greeting).toMatchObject({
      scope: 'tenant',
      shortcut: 'greet',
      title: 'Greeting',
      text: 'Hello {{first_name}}!',
      createdBy: 'vera',
    });
    await canned.create(apiKey, { scope: 'tenant', shortcut: 'order', text: 'Your order {{order_id}} is on its way.' });
    await canned.create(user('sam', 'agent'), { scope: 'personal', shortcut: 'greet', text: 'Hi {{first_name}}, Sam here.' });
    await canned.create(user('lee', 'admin'), { scope: 'personal', shortcut: 'bye', text: 'Bye!' });

    // An agent may not touch the tenant's set, and an API key has no personal one; nothing is stored.
    expect(await codeOf(canned.create(user('sam', 'agent'), { scope: 'tenant', shortcut: 'sneaky', text: 'x' }))).toMatch(
      /^PERMISSION_DENIED: the tenant's canned responses are kept by supervisors and admins/,
    );
    expect(await codeOf(canned.create(user('ann', 'senior_agent'), { scope: 'tenant', shortcut: 'sneaky', text: 'x' }))).toMatch(
      /^PERMISSION_DENIED/,
    );
    expect(await codeOf(canned.create(apiKey, { scope: 'personal', shortcut: 'sneaky', text: 'x' }))).toMatch(
      /^PERMISSION_DENIED: an API key has no personal/,
    );
    expect(await codeOf(canned.create(user('sam', 'agent'), { scope: 'personal', shortcut: 'greet', text: 'again' }))).toMatch(
      /^ALREADY_EXISTS: "\/greet" is already one of your canned responses/,
    );
    expect(await codeOf(canned.create(user('sam', 'agent'), { scope: 'personal', shortcut: 'x', text: 'Hi {{name}}' }))).toMatch(
      /^INVALID_ARGUMENT: text uses \{\{name\}\}/,
    );
    expect((await db.query("select count(*)::int as n from gateway.canned_responses where shortcut in ('sneaky', 'x')"))[0].n).toBe(0);

    // Sam sees his own first, then the tenant's; never Lee's; another tenant sees none of them.
    expect((await canned.list(user('sam', 'agent'))).cannedResponses.map((r) => `${r.scope}:${r.shortcut}`)).toEqual([
      'personal:greet',
      'tenant:greet',
      'tenant:order',
    ]);
    expect((await canned.list(apiKey)).cannedResponses.map((r) => r.shortcut)).toEqual(['greet', 'order']);
    expect((await canned.list(user('sam', 'agent', otherTenant))).cannedResponses).toEqual([]);
    const rows: Array<{ tenant_id: string }> = await db.query('select tenant_id from gateway.canned_responses');
    expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([tenantId]));
  });

  it("changes and deletes only what the caller keeps; another user's or tenant's answers 404", async () => {
    const mine = await canned.create(user('kim', 'agent'), { scope: 'personal', shortcut: 'wait', text: 'One moment please.' });
    const tenants = await canned.create(user('lee', 'admin'), { scope: 'tenant', shortcut: 'hours', text: 'We are open 9 to 5.' });

    expect(await canned.update(user('kim', 'agent'), mine.id, { text: 'One moment, {{first_name}}.', title: '' })).toMatchObject({
      shortcut: 'wait',
      title: 'wait',
      text: 'One moment, {{first_name}}.',
    });
    expect(await codeOf(canned.update(user('sam', 'agent'), mine.id, { text: 'mine now' }))).toMatch(/^NOT_FOUND/);
    expect(await codeOf(canned.update(user('kim', 'agent', otherTenant), tenants.id, { text: 'x' }))).toMatch(/^NOT_FOUND/);
    expect(await codeOf(canned.update(user('kim', 'agent'), tenants.id, { text: 'x' }))).toMatch(/^PERMISSION_DENIED/);
    expect(await codeOf(canned.update(user('kim', 'agent'), 'not-a-uuid', { text: 'x' }))).toMatch(/^NOT_FOUND/);
    expect(await codeOf(canned.update(user('lee', 'admin'), tenants.id, { shortcut: 'greet' }))).toMatch(
      /^ALREADY_EXISTS: "\/greet" is already one of the tenant's/,
    );
    expect(await codeOf(canned.remove(user('kim', 'agent'), tenants.id))).toMatch(/^PERMISSION_DENIED/);
    expect(await codeOf(canned.remove(user('sam', 'agent'), mine.id))).toMatch(/^NOT_FOUND/);

    await canned.remove(user('vera', 'supervisor'), tenants.id);
    await canned.remove(user('kim', 'agent'), mine.id);
    const left: Array<{ id: string }> = await db.query('select id from gateway.canned_responses where id = any($1)', [
      [mine.id, tenants.id],
    ]);
    expect(left).toEqual([]);
  });
});
