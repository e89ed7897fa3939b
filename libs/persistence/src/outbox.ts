// Transactional outbox: a service writes its rows and the events they cause in one transaction;
// the relay publishes them after commit (at once, and again on a timer for whatever a crash left
// behind). One relay per service at a time (advisory lock) keeps each key's events in order.
//
// Events carry customer content (replies, summaries, notes), so a payload is stored encrypted with
// the service's field cipher (column "<schema>.outbox.payload", bound to the row's tenant) and a
// published row is deleted once PUBLISHED_ROWS_KEPT_MINUTES have passed: it is of no use after that.
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { toJsonString, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { describeViolations, type EventTopic } from '@switchboard/contracts';
import type { FieldCipher } from '@switchboard/crypto';
import { InvalidMessageError, KafkaBus, newEnvelope, writeEnvelope } from '@switchboard/messaging';
import type { Logger } from '@switchboard/logging';

const BATCH = 100;
/**
 * Long enough to look at what was just sent while investigating. A message id passed to `stage` is
 * deduplicated only while its row is kept (callers pass none today; ids are random).
 */
const PUBLISHED_ROWS_KEPT_MINUTES = 10;
const PURGE_EVERY_MS = 60_000;

export async function createOutboxTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    create table "${schema}".outbox (
      seq bigserial primary key,
      id uuid not null unique,
      tenant_id text not null,
      topic text not null,
      key text not null,
      payload text not null,
      headers jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz
    )`);
  await runner.query(`create index outbox_unpublished on "${schema}".outbox (seq) where published_at is null`);
}

interface OutboxRow {
  seq: string;
  id: string;
  tenant_id: string;
  topic: string;
  key: string;
  payload: string;
  headers: Record<string, string>;
}

export class Outbox {
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<number>;
  private flushingAgain?: Promise<number>;
  private lastPurge = 0;
  private readonly lockKey: number;
  private readonly column: string;
  /**
   * Rows whose payload does not decrypt (a key missing from the keyring, an altered value): logged
   * once and passed over, so they do not hold up every later event. They stay unpublished in the
   * table and are tried again when the service restarts, e.g. with the missing key configured.
   */
  private readonly undecryptable = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: KafkaBus,
    private readonly schema: string,
    private readonly cipher: FieldCipher,
    private readonly log: Logger,
  ) {
    this.lockKey = [...`outbox:${schema}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);
    this.column = `${schema}.outbox.payload`;
  }

  /**
   * Waits for the relay's lock and holds it until the caller's transaction ends, so no relay is
   * half-way through sending a row the caller deletes (an erasure): a row is sent before, or never.
   */
  async holdRelay(manager: EntityManager): Promise<void> {
    await manager.query('select pg_advisory_xact_lock($1)', [this.lockKey]);
  }

  /** Stages an event inside the caller's transaction; returns its message id. */
  async stage<S extends DescMessage>(
    manager: EntityManager,
    topic: EventTopic<S>,
    message: MessageShape<S>,
    fields: { messageId?: string; conversationId?: string } = {},
  ): Promise<string> {
    const violations = topic.validate(message);
    if (violations.length > 0)
      throw new InvalidMessageError(`refusing to stage an invalid ${topic.name}: ${describeViolations(violations)}`);
    const envelope = newEnvelope({
      type: topic.schema.typeName,
      tenantId: topic.tenantOf(message),
      conversationId: fields.conversationId,
      producer: this.bus.service,
      messageId: fields.messageId ?? randomUUID(),
    });
    // Bound to the row's id: a payload copied into another outbox row does not decrypt, so is never published in its place.
    const payload = this.cipher.seal(toJsonString(topic.schema, message), {
      tenantId: envelope.tenantId,
      column: this.column,
      row: envelope.messageId,
    });
    await manager.query(
      `insert into "${this.schema}".outbox (id, tenant_id, topic, key, payload, headers) values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing`,
      [envelope.messageId, envelope.tenantId, topic.name, topic.key(message), payload, JSON.stringify(writeEnvelope(envelope))],
    );
    return envelope.messageId;
  }

  /**
   * Publishes everything committed before the call. A run already under way may have read the
   * table before the caller's commit, so callers meanwhile share one more run after it.
   */
  flush(): Promise<number> {
    if (!this.flushing) return (this.flushing = this.relay().finally(() => (this.flushing = undefined)));
    this.flushingAgain ??= this.flushing
      .catch(() => 0)
      .then(() => {
        this.flushingAgain = undefined;
        return this.flush();
      });
    return this.flushingAgain;
  }

  private async relay(): Promise<number> {
    let total = 0;
    for (;;) {
      const { fetched, sent } = await this.dataSource.transaction(async (manager) => {
        const [{ locked }] = await manager.query<Array<{ locked: boolean }>>('select pg_try_advisory_xact_lock($1) as locked', [
          this.lockKey,
        ]);
        if (!locked) return { fetched: 0, sent: 0 };
        const rows: OutboxRow[] = await manager.query(
          `select seq, id, tenant_id, topic, key, payload, headers from "${this.schema}".outbox where published_at is null and seq <> all($1::bigint[]) order by seq limit ${BATCH}`,
          [[...this.undecryptable]],
        );
        const published: string[] = [];
        const messages = [];
        for (const row of rows) {
          const payload = this.readPayload(row);
          if (payload === undefined) continue;
          messages.push({ topic: row.topic, key: row.key, value: payload, headers: row.headers });
          published.push(row.seq);
        }
        // One request for the batch rather than a round trip per row; order per key is kept.
        await this.bus.sendBatch(messages);
        if (published.length > 0)
          await manager.query(`update "${this.schema}".outbox set published_at = now() where seq = any($1::bigint[])`, [published]);
        return { fetched: rows.length, sent: published.length };
      });
      total += sent;
      if (fetched < BATCH) return total;
    }
  }

  /** The payload to publish: decrypted, or as stored for a row written before payloads were encrypted (outside production). */
  private readPayload(row: OutboxRow): string | undefined {
    try {
      return this.cipher.decrypt(row.payload, { tenantId: row.tenant_id, column: this.column, row: row.id });
    } catch (error) {
      this.undecryptable.add(row.seq);
      this.log.error(
        { outboxId: row.id, tenantId: row.tenant_id, topic: row.topic, err: error },
        `${this.column}: an outbox event does not decrypt and is not published; it stays in the table (check the keyring, then restart to retry)`,
      );
      return undefined;
    }
  }

  /** Deletes rows published more than PUBLISHED_ROWS_KEPT_MINUTES ago; returns how many. */
  async purgePublished(keptMinutes = PUBLISHED_ROWS_KEPT_MINUTES): Promise<number> {
    // TypeORM answers a delete with [rows, affected count].
    const [, deleted] = await this.dataSource.query<[unknown[], number | undefined]>(
      `delete from "${this.schema}".outbox where published_at < now() - make_interval(mins => $1)`,
      [keptMinutes],
    );
    return Number(deleted ?? 0);
  }

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.log.warn({ err: error }, 'outbox relay failed; will retry'));
      if (Date.now() - this.lastPurge >= PURGE_EVERY_MS) {
        this.lastPurge = Date.now();
        this.purgePublished().catch((error: unknown) => this.log.warn({ err: error }, 'deleting published outbox rows failed; will retry'));
      }
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing?.catch(() => undefined);
  }
}
