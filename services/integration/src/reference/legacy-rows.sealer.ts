// At start-up, before tool calls are served, encrypts reference records stored before encryption
// at rest and gives their users blind indexes (ReferenceStore.sealLegacyRows), so lookups by email
// or name and zip find them. A no-op once done.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Logger } from '@switchboard/logging';
import { LOGGER } from '@switchboard/platform';
import { ReferenceStore } from './reference.repository';

@Injectable()
export class LegacyRowsSealer implements OnModuleInit {
  constructor(
    private readonly store: ReferenceStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { users, orders, unreadable } = await this.store.sealLegacyRows();
    if (users + orders > 0) this.log.info({ users, orders }, 'reference records from before encryption at rest encrypted and indexed');
    if (unreadable.length > 0) {
      this.log.error(
        { unreadable: unreadable.slice(0, 20) },
        `${unreadable.length} reference records do not decrypt with the configured keys (ENCRYPTION_KEYS): left as they are; add the missing key`,
      );
    }
  }
}
