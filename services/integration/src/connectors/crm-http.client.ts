// HTTP to one tenant's order/CRM API: the auth header on every request, a timeout per attempt,
// retries with doubling backoff on 5xx, timeouts and network errors (never on 4xx: asking again
// gets the same answer), and a circuit breaker so a dead API fails fast instead of holding every
// conversation for timeout × attempts. When the API cannot be reached the call is refused with a
// message the bot can pass on. Logs name the operation and status, never the URL (it may hold an
// email) nor any header (the secret). Requests go through the outbound policy (no internal address
// unless allow-listed, checked after DNS) and never follow a redirect: the auth header would go with
// it to wherever the redirect points, and that answer would be taken for the CRM's.
import CircuitBreaker from 'opossum';
import type { Logger } from '@switchboard/logging';
import { RefusedTarget, type OutboundPolicy } from '../outbound/outbound-policy';
import { outboundRequest } from '../outbound/outbound-request';
import { Refusal } from '../tools/tool.errors';
import type { ResolvedHttpConnector } from './connector-config';

export interface CrmResponse {
  status: number;
  body: unknown;
}

export interface CrmRequest {
  /** The operation, for logs and messages. */
  operation: string;
  method: string;
  /** Path and query, already expanded and encoded. */
  path: string;
  body?: unknown;
}

/** The API failed in a way another attempt may fix: 5xx, no answer in time, no connection. */
class PassingFault extends Error {}

const UNREACHABLE = 'the order system is not answering';
const WHAT_TO_DO =
  'tell the customer their account and orders cannot be reached right now, and offer to try again in a few minutes or to transfer them to a human agent';

export class CrmHttpClient {
  private readonly breaker: CircuitBreaker<[CrmRequest], CrmResponse>;
  private readonly baseUrl: string;

  constructor(
    private readonly config: ResolvedHttpConnector,
    private readonly tenantId: string,
    private readonly outbound: OutboundPolicy,
    private readonly log: Logger,
  ) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.breaker = new CircuitBreaker((request: CrmRequest) => this.attempt(request), {
      name: `crm:${tenantId}`,
      timeout: false, // each attempt aborts itself at timeoutMs, which also frees the socket
      errorThresholdPercentage: config.breaker.errorThresholdPercentage,
      volumeThreshold: config.breaker.volumeThreshold,
      resetTimeout: config.breaker.resetTimeoutMs,
      rollingCountTimeout: config.breaker.windowMs,
      rollingCountBuckets: 10,
    });
    const fields = { tenantId, breaker: `crm:${tenantId}` };
    this.breaker.on('open', () =>
      log.warn({ ...fields, state: 'open' }, `order system circuit breaker opened: refusing calls for ${config.breaker.resetTimeoutMs} ms`),
    );
    this.breaker.on('halfOpen', () =>
      log.info({ ...fields, state: 'half_open' }, 'order system circuit breaker half-open: the next call tries the API again'),
    );
    this.breaker.on('close', () => log.info({ ...fields, state: 'closed' }, 'order system circuit breaker closed: the API answers again'));
  }

  /** The API's answer (any status below 500), or a Refusal once retries or the breaker give up. */
  async send(request: CrmRequest): Promise<CrmResponse> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.breaker.fire(request);
      } catch (error) {
        if ((error as { code?: string }).code === 'EOPENBREAKER') {
          throw new Refusal(`${UNREACHABLE} (it failed repeatedly and is given a rest); ${WHAT_TO_DO}`);
        }
        if (!(error instanceof PassingFault)) throw error;
        const last = attempt > this.config.retries;
        this.log.warn(
          { tenantId: this.tenantId, operation: request.operation, attempt, problem: error.message },
          last ? 'order system request failed; giving up' : 'order system request failed; retrying',
        );
        if (last) throw new Refusal(`${UNREACHABLE} (${error.message}, ${attempt} attempt${attempt === 1 ? '' : 's'}); ${WHAT_TO_DO}`);
        await new Promise((resolve) => setTimeout(resolve, this.config.backoffMs * 2 ** (attempt - 1)));
      }
    }
  }

  get state(): 'open' | 'half_open' | 'closed' {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  close(): void {
    this.breaker.shutdown();
  }

  private async attempt(request: CrmRequest): Promise<CrmResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (this.config.auth && this.config.authValue) headers[this.config.auth.header] = this.config.authValue;
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await outboundRequest(this.outbound, this.baseUrl + request.path, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        readBody: true,
      });
      status = response.status;
      text = response.body;
    } catch (error) {
      if (error instanceof RefusedTarget) {
        // The operator's configuration, not a passing fault: another attempt would be refused too.
        this.log.error(
          { tenantId: this.tenantId, operation: request.operation, problem: error.message },
          'order system address refused by the outbound policy; see OUTBOUND_ALLOWED_ADDRESSES',
        );
        throw new Refusal(`${UNREACHABLE} (its address is ${error.message}); ${WHAT_TO_DO}`);
      }
      if (signal.aborted) throw new PassingFault(`no answer within ${this.config.timeoutMs} ms`);
      const code = (error as { code?: string }).code ?? 'network error';
      throw new PassingFault(`cannot connect: ${code}`);
    }
    if (status >= 300 && status < 400) {
      this.log.warn(
        { tenantId: this.tenantId, operation: request.operation, status },
        'order system answered with a redirect, which is not followed; point baseUrl at the final address',
      );
      throw new Refusal(`${UNREACHABLE} (it answered with a redirect, HTTP ${status}, which is not followed); ${WHAT_TO_DO}`);
    }
    if (status >= 500) throw new PassingFault(`HTTP ${status}`);
    try {
      return { status, body: text === '' ? undefined : JSON.parse(text) };
    } catch {
      // Usually a proxy's error page in front of the API: treated as passing, like a 5xx.
      throw new PassingFault(`HTTP ${status} with a body that is not JSON`);
    }
  }
}
