import { bootstrap } from '@switchboard/platform';
import { AppModule } from './app.module';
import { loadTicketingConfig } from './config';

void bootstrap('ticketing', () => {
  const config = loadTicketingConfig();
  return { module: AppModule.register(config), httpPort: config.HTTP_PORT, bindHost: config.BIND_HOST };
});
