// The /api proxy forwards to the gateway's origin and nowhere else, and holds large bodies only for
// callers that name a token. A real HTTP server stands in for the gateway (and for a second host).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayProxy } from './gateway.proxy';

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

describe('the console /api proxy', () => {
  const seen: string[] = [];
  let gateway: Server;
  let elsewhere: Server;
  let proxy: Server;
  let proxyUrl: string;
  let elsewhereHost: string;
  beforeAll(async () => {
    gateway = createServer((req, res) => {
      seen.push(`gateway ${req.url}`);
      res.end('{}');
    });
    elsewhere = createServer((req, res) => {
      seen.push(`elsewhere ${req.url}`);
      res.end('secret');
    });
    const gatewayUrl = await listen(gateway);
    elsewhereHost = new URL(await listen(elsewhere)).host;
    const forward = gatewayProxy(gatewayUrl);
    proxy = createServer((req, res) => void forward(req, res)); // it answers its own failures (502)
    proxyUrl = await listen(proxy);
  });
  afterAll(() => {
    for (const s of [gateway, elsewhere, proxy]) s.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('forwards /v1/… to the gateway', async () => {
    const res = await fetch(`${proxyUrl}/v1/tickets?status=open`, { headers: { authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    expect(seen).toEqual(['gateway /v1/tickets?status=open']);
  });

  it('never leaves the gateway for a host named in the path', async () => {
    for (const path of [`//${elsewhereHost}/v1/x`, `/\\\\${elsewhereHost}/v1/x`, '/health/ready', '/']) {
      // fetch would normalise the path; a raw request keeps it as an attacker would send it.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${proxyUrl}/`, { path }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect({ path, status }).toEqual({ path, status: 404 });
    }
    expect(seen).toEqual([]);
  });

  it('refuses an upload without a token before reading it, and large JSON bodies', async () => {
    const upload = await fetch(`${proxyUrl}/v1/knowledge-bases/kb/documents`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: 'x'.repeat(1024),
    });
    expect(upload.status).toBe(401);
    const big = await fetch(`${proxyUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    expect(seen).toEqual([]);
  });
});
