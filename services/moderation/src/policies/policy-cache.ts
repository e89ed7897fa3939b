// Each replica's compiled tenant policies. A check looks up the tenant's revision at most once per
// POLICY_RELOAD_MS and recompiles only when it changed, so a change reaches every replica within
// about a second for the price of one primary-key lookup per tenant per second.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { ModerationConfig } from '../config';
import { CompiledPolicy } from './compiled-policy';
import { PolicyRepository } from './policy.repository';

interface Entry {
  /** -1 until the first successful look-up; 0 when the tenant has no policy. */
  revision: number;
  checkedAt: number;
  policy?: CompiledPolicy;
  refreshing?: Promise<void>;
}

/** Beyond this many tenants the least recently added is forgotten (and looked up again if needed). */
const MAX_TENANTS = 10_000;

@Injectable()
export class PolicyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly repository: PolicyRepository,
    @Inject(CONFIG) private readonly config: Pick<ModerationConfig, 'POLICY_RELOAD_MS'>,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The tenant's compiled policy, or undefined when it has none. */
  async current(tenantId: string): Promise<CompiledPolicy | undefined> {
    let entry = this.entries.get(tenantId);
    if (!entry) {
      if (this.entries.size >= MAX_TENANTS) this.entries.delete(this.entries.keys().next().value!);
      entry = { revision: -1, checkedAt: 0 };
      this.entries.set(tenantId, entry);
    }
    if (Date.now() - entry.checkedAt >= this.config.POLICY_RELOAD_MS) {
      const target = entry;
      // Concurrent checks of one tenant share one look-up.
      target.refreshing ??= this.refresh(tenantId, target).finally(() => (target.refreshing = undefined));
      await target.refreshing;
    }
    return entry.policy;
  }

  /** Makes the next check look again (on the replica that stored the change). */
  invalidate(tenantId: string): void {
    const entry = this.entries.get(tenantId);
    if (entry) entry.checkedAt = 0;
  }

  private async refresh(tenantId: string, entry: Entry): Promise<void> {
    try {
      const revision = await this.repository.revision(tenantId);
      if (revision !== entry.revision) {
        const started = Date.now();
        const stored = revision === 0 ? undefined : await this.repository.load(tenantId);
        entry.policy = stored ? CompiledPolicy.compile(stored.policy, stored.revision) : undefined;
        entry.revision = stored?.revision ?? 0;
        this.log.info({ tenantId, revision: entry.revision, ms: Date.now() - started }, 'moderation policy loaded');
        const unusable = entry.policy?.unusablePatterns ?? [];
        if (unusable.length > 0)
          this.log.warn(
            { tenantId, revision: entry.revision, fields: unusable },
            'stored patterns that RE2 cannot run are skipped; the tenant must store its policy again',
          );
      }
      entry.checkedAt = Date.now();
    } catch (error) {
      // Without any policy a check would silently skip the tenant's rules: fail it (it is retried).
      // With one, keep using it and look again on the next check.
      if (entry.revision < 0) throw error;
      this.log.warn(
        { err: error, tenantId, revision: entry.revision },
        'could not refresh the moderation policy; using the one loaded before',
      );
    }
  }
}
