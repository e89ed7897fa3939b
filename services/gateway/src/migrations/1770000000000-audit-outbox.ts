import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@switchboard/persistence';

// The gateway's outbox: audit events are staged here and published by the relay, so a Kafka outage
// delays them instead of losing them.
export class AuditOutbox1770000000000 implements MigrationInterface {
  name = 'AuditOutbox1770000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxTable(runner, 'gateway');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.outbox');
  }
}
