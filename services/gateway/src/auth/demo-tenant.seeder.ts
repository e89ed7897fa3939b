// Development convenience: the "demo" tenant with a fresh API key written to a file (never to the
// log), so the demo and a developer's adapter can authenticate.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { GatewayConfig } from '../config';
import { ApiKeyService } from './api-key.service';

export const DEMO_TENANT = 'demo';

@Injectable()
export class DemoTenantSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeyService,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_DEMO_TENANT || !this.config.DEMO_TENANT_KEY_FILE) return;
    // Allowed in production (docker-compose.yml runs as production): the key is random and goes only
    // to a 0600 file, never a public value. Said loudly, since real tenants do not want a demo one.
    if (this.config.NODE_ENV === 'production')
      this.log.warn('SEED_DEMO_TENANT is set in production: the "demo" tenant exists; unset it for real tenants');
    // The demo key may also manage the demo's knowledge bases.
    const key = await this.keys.issueKey(DEMO_TENANT, 'Demo retail shop', `demo key ${new Date().toISOString()}`, ['chat', 'kb:admin']);
    await mkdir(path.dirname(this.config.DEMO_TENANT_KEY_FILE), { recursive: true });
    await writeFile(this.config.DEMO_TENANT_KEY_FILE, `${key}\n`, { mode: 0o600 });
    this.log.info({ file: this.config.DEMO_TENANT_KEY_FILE }, 'demo tenant API key written');
  }
}
