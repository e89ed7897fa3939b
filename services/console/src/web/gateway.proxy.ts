// /api/* → the gateway's REST API, so the app talks to one origin (no CORS to open on the gateway).
// The proxy adds nothing: it forwards the caller's own Authorization header and body, and the
// gateway decides everything. Only the headers the API needs pass, either way.
import type { IncomingMessage, ServerResponse } from 'node:http';

const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'idempotency-key'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'location'];
// The gateway accepts knowledge-base documents up to 16 MB; a little more for multipart framing.
const MAX_BODY_BYTES = 17 * 1024 * 1024;

export function gatewayProxy(gatewayUrl: string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const headers = new Headers();
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
      if (body === 'too large') {
        json(res, 413, { error: { code: 'INVALID_ARGUMENT', message: `body: larger than ${MAX_BODY_BYTES} bytes` } });
        return;
      }
      // req.url is the path below /api (express strips the mount point), with its query string.
      const upstream = await fetch(new URL(req.url ?? '/', gatewayUrl), { method: req.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(330_000) });
      res.statusCode = upstream.status;
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      if (res.headersSent) res.destroy(error as Error);
      else json(res, 502, { error: { code: 'UNAVAILABLE', message: 'the gateway could not be reached' } });
    }
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return 'too large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
