// One HTTP(S) request made on a tenant's behalf, through the outbound policy: a literal address is
// checked before sending, a name when the socket connects (after DNS). Redirects are never followed
// (node:http does not, unlike fetch): a 3xx comes back as it is, for the caller to refuse, so
// headers such as a connector's API key never travel to a second origin.
import http from 'node:http';
import https from 'node:https';
import { RefusedTarget, type OutboundPolicy } from './outbound-policy';

export interface OutboundRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the request (and the body's download), e.g. AbortSignal.timeout(ms). */
  signal: AbortSignal;
  /** Read the response body (up to `maxBodyBytes`); otherwise it is discarded unread. */
  readBody?: boolean;
  maxBodyBytes?: number;
}

export interface OutboundResponse {
  status: number;
  body: string;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export function outboundRequest(policy: OutboundPolicy, target: string, init: OutboundRequest): Promise<OutboundResponse> {
  const url = new URL(target);
  const problem = policy.urlProblem(url);
  if (problem) return Promise.reject(new RefusedTarget(problem));
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      { method: init.method, headers: init.headers, signal: init.signal, lookup: policy.lookupFor(url.protocol) },
      (response) => {
        const status = response.statusCode ?? 0;
        if (!init.readBody) {
          response.resume();
          resolve({ status, body: '' });
          return;
        }
        const limit = init.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) response.destroy(new Error(`response body larger than ${limit} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}
