import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadAnalyticsConfig } from './config';

void bootstrap('analytics', () => {
  const config = loadAnalyticsConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST };
});
