// One POST to a tenant's endpoint. Redirects are not followed (a 3xx counts as a failure), and the
// response body is never read beyond its status: it is the receiver's, not ours to log.
export type PostOutcome = { ok: true; status: number } | { ok: false; error: string };

export class WebhookHttpClient {
  constructor(private readonly timeoutMs: number) {}

  async post(url: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? { ok: true, status: response.status } : { ok: false, error: `HTTP ${response.status}` };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError') return { ok: false, error: `no response within ${this.timeoutMs} ms` };
      return { ok: false, error: e.cause?.code ? `${e.cause.code}` : e.message };
    }
  }
}
