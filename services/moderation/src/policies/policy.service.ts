// Stores and returns tenants' moderation policies: a policy is validated as a whole and replaces
// the previous one; every replica picks it up on its next revision check.
import { Inject, Injectable } from '@nestjs/common';
import {
  create,
  PutPolicyResultSchema,
  TenantPolicySchema,
  type GetPolicyRequest,
  type PutPolicyRequest,
  type PutPolicyResult,
  type TenantPolicy,
} from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { PermanentError } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { PolicyCache } from './policy-cache';
import { PolicyRepository } from './policy.repository';
import { policyViolations } from './policy.validator';

@Injectable()
export class PolicyService {
  constructor(
    private readonly repository: PolicyRepository,
    private readonly cache: PolicyCache,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async put(request: PutPolicyRequest): Promise<PutPolicyResult> {
    const policy = request.policy ?? create(TenantPolicySchema);
    const problems = policyViolations(policy);
    if (problems.length > 0) throw new PermanentError('INVALID_ARGUMENT', problems.join('; '));
    const revision = await this.repository.save(request.tenantId, policy);
    this.cache.invalidate(request.tenantId);
    const words = policy.wordLists.reduce((n, l) => n + l.words.length, 0);
    this.log.info(
      { tenantId: request.tenantId, revision, lists: policy.wordLists.length, words, rules: policy.rules.length },
      'moderation policy replaced',
    );
    return create(PutPolicyResultSchema, { words, rules: policy.rules.length, revision: BigInt(revision) });
  }

  /** The tenant's policy; an empty one when it has not set any. */
  async get(request: GetPolicyRequest): Promise<TenantPolicy> {
    const stored = await this.repository.load(request.tenantId);
    return stored?.policy ?? create(TenantPolicySchema, { tenantId: request.tenantId });
  }
}
