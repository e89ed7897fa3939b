// Each service owns one Postgres schema and migrates it at start-up; no service reads another's.
import { Client } from 'pg';
import { DataSource, MixedList, EntitySchema } from 'typeorm';
import type { FieldCipher } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';

export interface DatabaseOptions {
  url: string;
  /** The owning service's schema, e.g. "conversation". */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Create the database when it does not exist (development and tests only). */
  createDatabase?: boolean;
  /**
   * When the schema has an outbox table (see createOutboxTable) whose relay should run: the
   * service's field cipher, which encrypts the events' payloads at rest.
   */
  outbox?: { cipher: FieldCipher };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** CREATE DATABASE cannot be parameterised, so the name is checked before it is spliced. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!IDENTIFIER.test(name)) throw new Error(`database name "${name}" must match ${IDENTIFIER}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`create database "${name}"`).catch((error: Error) => {
        // Services starting together race to create it; Postgres reports the loser either way.
        if (!/already exists|duplicate key value/.test(error.message)) throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export async function openDatabase(options: DatabaseOptions, log: Logger): Promise<DataSource> {
  if (!IDENTIFIER.test(options.schema)) throw new Error(`schema "${options.schema}" must match ${IDENTIFIER}`);
  if (options.createDatabase) await ensureDatabase(options.url);
  // Replicas starting together take turns: the lock is held on its own connection while this
  // replica creates the schema and migrates.
  const lock = new Client({ connectionString: options.url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`switchboard:migrate:${options.schema}`]);
    await lock.query(`create schema if not exists "${options.schema}"`);
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.url,
      schema: options.schema,
      entities: options.entities,
      migrations: options.migrations,
      migrationsTableName: 'migrations',
      migrationsTransactionMode: 'each',
      synchronize: false,
      extra: { max: 10, application_name: options.schema },
    });
    await dataSource.initialize();
    const applied = await dataSource.runMigrations();
    if (applied.length > 0) log.info({ schema: options.schema, migrations: applied.map((m) => m.name) }, 'migrations applied');
    return dataSource;
  } finally {
    await lock.end();
  }
}

/** Refuses destructive test set-up against a database whose name does not say "test". */
export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.slice(1);
  if (!name.includes('test')) throw new Error(`refusing to reset database "${name}": its name must contain "test"`);
}
