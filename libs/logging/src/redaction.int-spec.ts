// What a real TypeORM error against the real Postgres carries, and that none of it reaches a log
// line: the statement's parameters, Postgres's `detail` quoting the conflicting row, a rejected value.
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '@switchboard/testing';
import { createLogger } from './logger';

describe('logging a database error', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await db.query(
      'create table customers (tenant_id text not null, phone text not null, email text not null, id uuid, unique (tenant_id, phone))',
    );
    await db.query('insert into customers (tenant_id, phone, email) values ($1, $2, $3)', ['shop', '+15551234567', 'ann.lee@example.com']);
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('writes the error code and constraint, never the parameters or the row', async () => {
    const lines: string[] = [];
    const log = createLogger(
      'test',
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const duplicate = await db
      .query('insert into customers (tenant_id, phone, email) values ($1, $2, $3)', ['shop', '+15551234567', 'ann.lee@example.com'])
      .catch((e: unknown) => e);
    const badUuid = await db.query('select * from customers where id = $1', ['ann.lee@example.com']).catch((e: unknown) => e);
    // What the errors carry, so the test fails if the driver ever stops putting data there.
    expect(JSON.stringify({ ...(duplicate as object) })).toContain('+15551234567');
    expect((badUuid as Error).message).toContain('ann.lee@example.com');

    log.error({ err: duplicate, tenantId: 'shop' }, 'customer not saved');
    log.error(badUuid as Error);
    log.warn({ attempt: { last: { error: { cause: duplicate } } } }, 'retrying');
    const out = lines.join('');
    expect(out).not.toMatch(/15551234567|ann\.lee@example\.com/);
    expect(JSON.parse(lines[0]).err).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'customers_tenant_id_phone_key',
    });
    expect(JSON.parse(lines[1]).msg).toBe('invalid input syntax for type uuid: [redacted]');
  });
});
