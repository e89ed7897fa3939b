// Transactional outbox: a service writes its rows and the events they cause in one transaction;
// the relay publishes them after commit (at once, and again on a timer for whatever a crash left
// behind). One relay per service at a time (advisory lock) keeps each key's events in order.
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { toJsonString, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { describeViolations, type EventTopic } from '@switchboard/contracts';
import { InvalidMessageError, KafkaBus, newEnvelope, writeEnvelope } from '@switchboard/messaging';
import type { Logger } from '@switchboard/logging';

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
  topic: string;
  key: string;
  payload: string;
  headers: Record<string, string>;
}

export class Outbox {
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<number>;
  private readonly lockKey: number;

  constructor(private readonly dataSource: DataSource, private readonly bus: KafkaBus, private readonly schema: string, private readonly log: Logger) {
    this.lockKey = [...`outbox:${schema}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);
  }

  /** Stages an event inside the caller's transaction; returns its message id. */
  async stage<S extends DescMessage>(manager: EntityManager, topic: EventTopic<S>, message: MessageShape<S>, fields: { messageId?: string; conversationId?: string } = {}): Promise<string> {
    const violations = topic.validate(message);
    if (violations.length > 0) throw new InvalidMessageError(`refusing to stage an invalid ${topic.name}: ${describeViolations(violations)}`);
    const envelope = newEnvelope({ type: topic.schema.typeName, tenantId: topic.tenantOf(message), conversationId: fields.conversationId, producer: this.bus.service, messageId: fields.messageId ?? randomUUID() });
    await manager.query(
      `insert into "${this.schema}".outbox (id, tenant_id, topic, key, payload, headers) values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing`,
      [envelope.messageId, envelope.tenantId, topic.name, topic.key(message), toJsonString(topic.schema, message), JSON.stringify(writeEnvelope(envelope))],
    );
    return envelope.messageId;
  }

  /** Publishes everything not yet published; concurrent calls share one run. */
  flush(): Promise<number> {
    this.flushing ??= this.relay().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async relay(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.dataSource.transaction(async (manager) => {
        const [{ locked }] = await manager.query('select pg_try_advisory_xact_lock($1) as locked', [this.lockKey]);
        if (!locked) return 0;
        const rows: OutboxRow[] = await manager.query(`select seq, topic, key, payload, headers from "${this.schema}".outbox where published_at is null order by seq limit 100`);
        for (const row of rows) await this.bus.send(row.topic, row.key, row.payload, row.headers);
        if (rows.length > 0) await manager.query(`update "${this.schema}".outbox set published_at = now() where seq = any($1::bigint[])`, [rows.map((r) => r.seq)]);
        return rows.length;
      });
      total += sent;
      if (sent < 100) return total;
    }
  }

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => {
      this.flush().catch((error) => this.log.warn({ err: error }, 'outbox relay failed; will retry'));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing?.catch(() => undefined);
  }
}
