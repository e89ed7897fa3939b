import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadRetrievalConfig } from './config';

void bootstrap('retrieval', () => {
  const config = loadRetrievalConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST };
});
