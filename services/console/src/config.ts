import path from 'node:path';
import { httpPort, loadConfig, localDefault, platformShape, z } from '@switchboard/config';

export const consoleConfigShape = {
  ...platformShape,
  HTTP_PORT: httpPort(3107),
  // The console holds no credentials of its own: every call carries the signed-in user's token.
  GATEWAY_URL: localDefault(
    z
      .string()
      .url()
      .describe(
        "The gateway's REST API: the app's `/api/*` calls are forwarded there, and the live channel asks it who a token belongs to.",
      ),
    'http://127.0.0.1:3000',
  ),
  // This file sits at services/console/{src,dist}/config.*.
  CONSOLE_WEB_DIR: z
    .string()
    .default(path.resolve(__dirname, '..', 'web', 'dist'))
    .describe('The built single-page app (`vite build`).'),
  LIVE_RECHECK_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(900_000)
    .default(30_000)
    .describe(
      'How often an open live channel asks the gateway again whether its token still holds, so a signed-out, disabled or expired session stops receiving notices within this time.',
    ),
};

export type ConsoleConfig = ReturnType<typeof loadConsoleConfig>;
export const loadConsoleConfig = (env = process.env) => loadConfig(consoleConfigShape, env);
