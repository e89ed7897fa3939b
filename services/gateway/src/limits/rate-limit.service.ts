// Who may send how much: per API key (every message and admin call) and per customer of a tenant
// (messages), over a one-minute sliding window. A refused request records nothing.
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@switchboard/platform';
import type { Caller } from '../auth/api-key.service';
import type { GatewayConfig } from '../config';
import { RateLimitedError, type RateLimitName } from './rate-limit.errors';
import { RateLimitRepository, type Window } from './rate-limit.repository';

const WINDOW_MS = 60_000;

type Limits = Pick<
  GatewayConfig,
  | 'RATE_LIMIT_KEY_PER_MIN'
  | 'RATE_LIMIT_KEY_MAX_PER_MIN'
  | 'RATE_LIMIT_USER_PER_MIN'
  | 'RATE_LIMIT_CUSTOMER_PER_MIN'
  | 'LOGIN_ATTEMPTS_PER_MIN'
  | 'LOGIN_FAILURES_PER_CLIENT_PER_MIN'
  | 'LOGIN_FAILURES_PER_TENANT_PER_MIN'
>;

/** An admitted sign-in attempt: `succeeded` takes it back out of the windows that count failures only. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

interface Subject extends Window {
  name: RateLimitName;
  what: string;
}

@Injectable()
export class RateLimitService {
  constructor(
    private readonly windows: RateLimitRepository,
    @Inject(CONFIG) private readonly config: Limits,
  ) {}

  /** A customer message: counts against the caller's key and the customer. */
  async admitMessage(caller: Caller, customerId: string): Promise<void> {
    await this.admit([
      this.keySubject(caller),
      {
        name: 'customer',
        what: `messages per minute for customer "${customerId}"`,
        key: `t:${caller.tenantId}:rl:customer:${customerId}`,
        limit: this.config.RATE_LIMIT_CUSTOMER_PER_MIN,
      },
    ]);
  }

  /** An admin REST call: counts against the caller's key. */
  async admitCall(caller: Pick<Caller, 'tenantId' | 'keyId' | 'requestsPerMinute'>): Promise<void> {
    await this.admit([this.keySubject(caller)]);
  }

  /** A REST call of a signed-in user, counted per user. */
  async admitUser(tenantId: string, userId: string): Promise<void> {
    await this.admit([
      {
        name: 'user',
        what: 'requests per minute for this user',
        key: `t:${tenantId}:rl:user:${userId}`,
        limit: this.config.RATE_LIMIT_USER_PER_MIN,
      },
    ]);
  }

  /**
   * A sign-in attempt for a username from a client (its IP address). Counted per username and
   * client, so guessing from one address cannot lock the user out from theirs; per client across
   * usernames (password spraying) and per tenant (spraying from many addresses), where only
   * failures count, so a busy office behind one address is not refused for signing in.
   */
  async admitSignIn(tenantId: string, username: string, client: string): Promise<SignInAttempt> {
    const failuresOnly: Subject[] = [
      {
        name: 'sign_in_client',
        what: 'failed sign-ins per minute from this address',
        key: `t:${tenantId}:rl:sign-in-client:${client}`,
        limit: this.config.LOGIN_FAILURES_PER_CLIENT_PER_MIN,
      },
      {
        name: 'sign_in_tenant',
        what: 'failed sign-ins per minute for this tenant',
        key: `t:${tenantId}:rl:sign-in-tenant`,
        limit: this.config.LOGIN_FAILURES_PER_TENANT_PER_MIN,
      },
    ];
    const member = await this.admit([
      {
        name: 'sign_in',
        what: `sign-in attempts per minute for "${username}" from this address`,
        key: `t:${tenantId}:rl:sign-in:${username}:${client}`,
        limit: this.config.LOGIN_ATTEMPTS_PER_MIN,
      },
      ...failuresOnly,
    ]);
    return {
      succeeded: () =>
        this.windows.giveBack(
          failuresOnly.map((s) => s.key),
          member,
        ),
    };
  }

  /** The key's own limit when it has one (a busy channel's adapter key), at most the operator's ceiling; else the default. */
  private keySubject(caller: Pick<Caller, 'tenantId' | 'keyId' | 'requestsPerMinute'>): Subject {
    return {
      name: 'api_key',
      what: 'requests per minute for this API key',
      key: `t:${caller.tenantId}:rl:key:${caller.keyId}`,
      // The ceiling bounds what a tenant sets (its key's own limit), not the operator's default.
      limit: caller.requestsPerMinute
        ? Math.min(caller.requestsPerMinute, this.config.RATE_LIMIT_KEY_MAX_PER_MIN)
        : this.config.RATE_LIMIT_KEY_PER_MIN,
    };
  }

  /** Records the request in every subject's window, or refuses it; answers its member in the windows. */
  private async admit(subjects: Subject[]): Promise<string> {
    const admission = await this.windows.take(subjects, WINDOW_MS);
    if (admission.admitted) return admission.member;
    const subject = subjects[admission.refusedBy];
    const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
    throw new RateLimitedError(
      subject.name,
      seconds,
      `rate limit reached (${subject.name}): at most ${subject.limit} ${subject.what}; retry in ${seconds} s`,
    );
  }
}
