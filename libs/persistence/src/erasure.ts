// A service's part of erasing a customer (or, for retention, some conversations), for services that
// keep their data in Postgres with an outbox: one mechanism, so every such service erases and
// reports the same way.
import type { DataSource, EntityManager } from 'typeorm';
import { erasureReport, Topics, type ErasureCommand, type ErasureOutcome } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { KafkaBus } from '@switchboard/messaging';
import type { Outbox } from './outbox';

/** Deletes this service's part inside the erasing transaction and says what it removed and kept. */
export type EraseOwnPart = (manager: EntityManager, command: ErasureCommand) => Promise<ErasureOutcome>;

/**
 * Subscribes `service` to privacy.erasure.v1. Each command runs in one transaction that first holds
 * the outbox relay (so no outbox row being deleted is half-way out), erases, and stages the report
 * in the same outbox, so the report goes out exactly when the erasure is committed; a redelivered
 * command finds nothing left and reports zeros.
 */
export async function consumeErasures(
  bus: KafkaBus,
  db: DataSource,
  outbox: Outbox,
  service: string,
  log: Logger,
  erase: EraseOwnPart,
): Promise<void> {
  await bus.subscribe(
    Topics.erasureCommands,
    async ({ message: command }) => {
      const outcome = await db.transaction(async (manager) => {
        await outbox.holdRelay(manager);
        const result = await erase(manager, command);
        await outbox.stage(manager, Topics.erasureReports, erasureReport(command, service, result));
        return result;
      });
      await outbox.flush();
      // Counts only: the customer id is personal data too.
      log.info({ requestId: command.requestId, reason: command.reason, removed: outcome.removed }, 'erasure done');
    },
    { concurrency: Topics.erasureCommands.partitions },
  );
}

/** Runs a DELETE and returns how many rows it removed. */
export async function deleteCounting(manager: EntityManager, deleteSql: string, parameters: unknown[]): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await manager.query(
    `with gone as (${deleteSql} returning 1) select count(*)::int as n from gone`,
    parameters,
  );
  return n;
}
