import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config';

void bootstrap('gateway', () => {
  const config = loadGatewayConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST, configure: (app) => AppModule.attachGrpc(app, config) };
});
