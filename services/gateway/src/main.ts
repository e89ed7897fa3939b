import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config';
import { trustProxies } from './http/trusted-proxies';

void bootstrap('gateway', () => {
  const config = loadGatewayConfig();
  return {
    module: AppModule.register(config),
    httpPort: config.HTTP_PORT,
    bindHost: config.BIND_HOST,
    configure: (app) => {
      trustProxies(app, config.TRUSTED_PROXIES);
      return AppModule.attachGrpc(app, config);
    },
  };
});
