// One POST to a tenant's endpoint, through the outbound policy (no internal addresses, checked after
// DNS). Redirects are not followed (a 3xx counts as a failure), and the response body is never
// read beyond its status: it is the receiver's, not ours to log.
import { outboundRequest } from '../outbound/outbound-request';
import { RefusedTarget, type OutboundPolicy } from '../outbound/outbound-policy';

/** `final`: retrying cannot help (the policy refused the target), so the delivery is dead-lettered at once. */
export type PostOutcome = { ok: true; status: number } | { ok: false; error: string; final?: boolean };

export class WebhookHttpClient {
  constructor(
    private readonly policy: OutboundPolicy,
    private readonly timeoutMs: number,
  ) {}

  async post(url: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await outboundRequest(this.policy, url, { method: 'POST', headers, body, signal });
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return {
        ok: false,
        error:
          response.status >= 300 && response.status < 400
            ? `HTTP ${response.status} (redirects are not followed)`
            : `HTTP ${response.status}`,
      };
    } catch (error) {
      // Only the policy's reason: nothing the target (or a resolver) answered reaches the dead-letter list.
      if (error instanceof RefusedTarget) return { ok: false, error: error.message, final: true };
      if (signal.aborted) return { ok: false, error: `no response within ${this.timeoutMs} ms` };
      const code = (error as { code?: string }).code;
      return { ok: false, error: code ?? 'connection failed' };
    }
  }
}
