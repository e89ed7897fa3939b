import path from 'node:path';
import { loadConfig, localDefault, platformShape, z } from '@switchboard/config';

export const consoleConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3107),
  // The gateway's REST API: every call of the app goes there with the signed-in user's token, and
  // the live channel asks it who a token belongs to. The console holds no credentials of its own.
  GATEWAY_URL: localDefault(z.string().url(), 'http://127.0.0.1:3000'),
  // The built single-page app (vite build). This file sits at services/console/{src,dist}/config.*.
  CONSOLE_WEB_DIR: z.string().default(path.resolve(__dirname, '..', 'web', 'dist')),
  // How often an open live channel asks the gateway again whether its token still holds, so a
  // signed-out, disabled or expired session stops receiving notices within this time.
  LIVE_RECHECK_MS: z.coerce.number().int().min(1000).max(900_000).default(30_000),
};

export type ConsoleConfig = ReturnType<typeof loadConsoleConfig>;
export const loadConsoleConfig = (env = process.env) => loadConfig(consoleConfigShape, env);
