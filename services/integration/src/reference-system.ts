// The reference order/CRM system as one unit: its schema, and the tools and seeder over it, for
// the service and for operator tools (the CLI) that work on the database directly.
import type { DataSource } from 'typeorm';
import type { Logger } from '@switchboard/logging';
import { openDatabase } from '@switchboard/persistence';
import { ReferenceOrderSystem } from './connectors/reference.order-system';
import { ReferenceSystem1733000000000 } from './migrations/1733000000000-reference-system';
import { Webhooks1734000000000 } from './migrations/1734000000000-webhooks';
import { ReferenceStore } from './reference/reference.repository';
import { ReferenceSeeder } from './reference/reference.seeder';
import { ToolService } from './tools/tool.service';

export const integrationDatabase = { schema: 'integration', entities: [], migrations: [ReferenceSystem1733000000000, Webhooks1734000000000] };

export interface ReferenceSystem {
  tools: ToolService;
  seeder: ReferenceSeeder;
  close(): Promise<void>;
}

export function referenceSystemOn(db: DataSource, dataDir: string): ReferenceSystem {
  const store = new ReferenceStore(db);
  return { tools: new ToolService((tenantId) => new ReferenceOrderSystem(store, tenantId)), seeder: new ReferenceSeeder(db, dataDir), close: async () => void (await db.destroy()) };
}

/** Opens (creating and migrating when needed) the integration schema at `databaseUrl`. */
export async function openReferenceSystem(options: { databaseUrl: string; dataDir: string; createDatabase: boolean }, log: Logger): Promise<ReferenceSystem> {
  const db = await openDatabase({ ...integrationDatabase, url: options.databaseUrl, createDatabase: options.createDatabase }, log);
  return referenceSystemOn(db, options.dataDir);
}
