// The reference order/CRM system as one unit: its schema, and the tools and seeder over it, for
// the service and for operator tools (the CLI) that work on the database directly.
import type { DataSource } from 'typeorm';
import { loadConfig, platformShape } from '@switchboard/config';
import { blindIndexConfigShape, encryptionConfigShape } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import { openDatabase } from '@switchboard/persistence';
import { ReferenceOrderSystem } from './connectors/reference.order-system';
import { ReferenceSystem1733000000000 } from './migrations/1733000000000-reference-system';
import { Webhooks1734000000000 } from './migrations/1734000000000-webhooks';
import { EncryptedRecords1768000000000 } from './migrations/1768000000000-encrypted-records';
import { ReferenceSealing, type ReferenceSealingConfig } from './reference/reference-sealing';
import { ReferenceStore } from './reference/reference.repository';
import { ReferenceSeeder } from './reference/reference.seeder';
import { ToolService } from './tools/tool.service';

export const integrationDatabase = {
  schema: 'integration',
  entities: [],
  migrations: [ReferenceSystem1733000000000, Webhooks1734000000000, EncryptedRecords1768000000000],
};

export interface ReferenceSystem {
  tools: ToolService;
  seeder: ReferenceSeeder;
  store: ReferenceStore;
  close(): Promise<void>;
}

export function referenceSystemOn(db: DataSource, sealing: ReferenceSealing, dataDir: string): ReferenceSystem {
  const store = new ReferenceStore(db, sealing);
  return {
    tools: new ToolService((tenantId) => new ReferenceOrderSystem(store, tenantId)),
    seeder: new ReferenceSeeder(db, sealing, dataDir),
    store,
    close: async () => void (await db.destroy()),
  };
}

/**
 * Opens (creating and migrating when needed) the integration schema at `databaseUrl`, with the
 * service's keys (by default from the environment: ENCRYPTION_KEYS…, BLIND_INDEX_KEY), and seals
 * rows left from before encryption, as the service does at start-up.
 */
export async function openReferenceSystem(
  options: { databaseUrl: string; dataDir: string; createDatabase: boolean; keys?: ReferenceSealingConfig },
  log: Logger,
): Promise<ReferenceSystem> {
  const keys =
    options.keys ?? loadConfig({ NODE_ENV: platformShape.NODE_ENV, ...encryptionConfigShape, ...blindIndexConfigShape }, process.env);
  const sealing = ReferenceSealing.fromConfig(keys);
  const db = await openDatabase({ ...integrationDatabase, url: options.databaseUrl, createDatabase: options.createDatabase }, log);
  const system = referenceSystemOn(db, sealing, options.dataDir);
  const sealed = await system.store.sealLegacyRows();
  if (sealed.unreadable.length > 0)
    log.warn(
      { unreadable: sealed.unreadable.slice(0, 20) },
      `${sealed.unreadable.length} reference records do not decrypt with the configured keys; left as they are`,
    );
  return system;
}
