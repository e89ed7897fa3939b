import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadGenerationConfig } from './config';

void bootstrap('generation', () => {
  const config = loadGenerationConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST };
});
