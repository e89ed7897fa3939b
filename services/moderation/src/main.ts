import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadModerationConfig } from './config';

void bootstrap('moderation', () => {
  const config = loadModerationConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST };
});
