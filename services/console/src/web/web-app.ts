// Serves the built single-page app: hashed assets cached for a year, everything else (index.html)
// never cached so a new build is picked up at once. The app routes with the URL's hash, so there
// is no fallback to index.html; anything not a file goes on to Nest (health, metrics, live).
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function serveWebApp(dir: string) {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'index.html')))
    throw new Error(`CONSOLE_WEB_DIR: ${root} has no index.html; build the app with "npm run build"`);
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://console').pathname);
    } catch {
      return next(); // malformed escapes: not a file of ours
    }
    const file = path.resolve(root, `.${urlPath === '/' ? '/index.html' : urlPath}`);
    // A path that climbs out of the build directory (../) is not ours to serve.
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) return next();
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': file.startsWith(path.join(root, 'assets') + path.sep) ? 'public, max-age=31536000, immutable' : 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };
}
