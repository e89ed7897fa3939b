import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadConversationConfig } from './config';

void bootstrap('conversation', () => {
  const config = loadConversationConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST };
});
