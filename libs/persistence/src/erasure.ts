import type { DataSource, EntityManager } from 'typeorm';
import { erasureReport, Topics, type ErasureCommand, type ErasureOutcome } from '@switchboard/contracts';
import type { Outbox } from './outbox';

/**
 * Runs one service's part of an erasure and stages its report in the outbox in the same
 * transaction, so the report goes out exactly when the erasure is committed; a redelivered command
 * finds nothing left and reports zeros.
 */
export async function eraseAndReport(
  db: DataSource, outbox: Outbox, command: ErasureCommand, service: string,
  erase: (manager: EntityManager) => Promise<ErasureOutcome>,
): Promise<ErasureOutcome> {
  const outcome = await db.transaction(async (manager) => {
    const result = await erase(manager);
    await outbox.stage(manager, Topics.erasureReports, erasureReport(command, service, result));
    return result;
  });
  await outbox.flush();
  return outcome;
}
