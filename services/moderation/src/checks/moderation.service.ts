// Checks one message for a tenant: the tenant's current policy (hot-reloaded) on top of the
// built-in lists, PII and injection checks. Logs rule names and counts, never the text or the
// words that matched.
import { Inject, Injectable } from '@nestjs/common';
import { Action, Direction, type CheckRequest, type CheckResult } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { LOGGER } from '@switchboard/platform';
import { BuiltInLists } from '../lists/built-in-lists';
import { PolicyCache } from '../policies/policy-cache';
import { checkMessage } from './message-checker';

@Injectable()
export class ModerationService {
  constructor(
    private readonly lists: BuiltInLists,
    private readonly policies: PolicyCache,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async check(request: CheckRequest): Promise<CheckResult> {
    const policy = await this.policies.current(request.tenantId);
    const result = checkMessage(request, this.lists, policy);
    if (result.findings.length > 0) {
      const rules: Record<string, number> = {};
      for (const f of result.findings) rules[f.rule] = (rules[f.rule] ?? 0) + 1;
      const stopped = result.action === Action.BLOCK || result.action === Action.ESCALATE;
      this.log[stopped ? 'info' : 'debug'](
        { direction: Direction[request.direction], action: Action[result.action], rules, policyRevision: policy?.revision },
        'moderation findings',
      );
    }
    return result;
  }
}
