// /api/* → the gateway's REST API, so the app talks to one origin (no CORS to open on the gateway).
// The proxy adds nothing: it forwards the caller's own Authorization header and body, and the
// gateway decides everything. Only the headers the API needs pass, either way.
import type { IncomingMessage, ServerResponse } from 'node:http';

const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'idempotency-key'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'location'];
// The gateway accepts knowledge-base documents up to 16 MB (a little more for multipart framing);
// every other call of the app is small JSON. Only a caller that names a token may send the large
// kind, so an anonymous client cannot make the console hold megabytes.
const MAX_UPLOAD_BYTES = 17 * 1024 * 1024;
const MAX_JSON_BYTES = 1024 * 1024;
// Only the gateway's versioned API: "//host/…" or "\\host" would otherwise make `new URL` leave
// the gateway for any host the caller names, with the caller's token.
const API_PATH = /^\/v1\/[^\\]*$/;

export function gatewayProxy(gatewayUrl: string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (!API_PATH.test(path)) {
      json(res, 404, { error: { code: 'NOT_FOUND', message: 'no such API path: the console forwards /api/v1/… to the gateway only' } });
      return;
    }
    const upload = /^multipart\//i.test(req.headers['content-type'] ?? '');
    if (upload && !req.headers.authorization) {
      json(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'authorization: sign in before uploading' } });
      return;
    }
    try {
      const headers = new Headers();
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      const limit = upload ? MAX_UPLOAD_BYTES : MAX_JSON_BYTES;
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req, limit);
      if (body === 'too large') {
        json(res, 413, { error: { code: 'INVALID_ARGUMENT', message: `body: larger than ${limit} bytes` } });
        return;
      }
      // The path below /api (express strips the mount point), with its query string, on the gateway's origin.
      const upstream = await fetch(new URL(path, new URL(gatewayUrl).origin), {
        method: req.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(330_000),
      });
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

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return 'too large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
