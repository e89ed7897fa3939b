import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadIntegrationConfig } from './config';

void bootstrap('integration', () => {
  const config = loadIntegrationConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST };
});
