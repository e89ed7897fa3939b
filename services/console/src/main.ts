import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadConsoleConfig } from './config';
import { gatewayProxy } from './web/gateway.proxy';
import { serveWebApp } from './web/web-app';

void bootstrap('console', () => {
  const config = loadConsoleConfig();
  return {
    module: AppModule.register(config),
    httpPort: config.HTTP_PORT,
    bindHost: config.BIND_HOST,
    // Registered before Nest's routes and body parsers: the proxy forwards the raw body as sent.
    configure: async (app) => {
      app.use('/api', gatewayProxy(config.GATEWAY_URL));
      app.use(serveWebApp(config.CONSOLE_WEB_DIR));
    },
  };
});
