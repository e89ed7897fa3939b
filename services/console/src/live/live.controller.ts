// GET /live: a Server-Sent Events stream of the signed-in user's tenant's change notices. The
// token travels in the Authorization header (the app reads the stream with fetch, not EventSource,
// which cannot send headers), so it never lands in a URL or an access log. The stream ends when the
// gateway stops accepting the token (checked every LIVE_RECHECK_MS) with a final `expired` event.
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { Logger } from '@switchboard/logging';
import type { ConsoleConfig } from '../config';
import { GatewayIdentity, IdentityRefused } from './gateway-identity';
import { LiveHub } from './live-hub';
import type { LiveNotice } from './live-notice';

// Proxies and load balancers close idle connections; a comment line every 15 s keeps it open.
const KEEPALIVE_MS = 15_000;

@Controller('live')
export class LiveController {
  constructor(
    private readonly identity: GatewayIdentity,
    private readonly hub: LiveHub,
    @Inject(CONFIG) private readonly config: ConsoleConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Get()
  async open(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    const authorization = req.headers.authorization;
    let who;
    try {
      who = await this.identity.verify(authorization);
    } catch (error) {
      const status = error instanceof IdentityRefused ? error.status : 500;
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: status === 401 ? 'UNAUTHENTICATED' : 'UNAVAILABLE', message: (error as Error).message } }));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('ready', { tenantId: who.tenantId });

    const unsubscribe = this.hub.subscribe(who.tenantId, (notice: LiveNotice) => {
      const { tenantId: _tenant, ...rest } = notice;
      send('notice', rest);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    const recheck = setInterval(() => {
      this.identity.verify(authorization).catch((error: unknown) => {
        // Only a refusal ends the stream; a gateway that is briefly unreachable does not.
        if (!(error instanceof IdentityRefused) || error.status !== 401) return;
        send('expired', { reason: 'the access token is no longer accepted; sign in again' });
        res.end();
      });
    }, this.config.LIVE_RECHECK_MS);
    const close = () => {
      clearInterval(keepalive);
      clearInterval(recheck);
      unsubscribe();
    };
    res.on('close', close);
    this.log.debug({ tenantId: who.tenantId, userId: who.userId }, 'live channel opened');
  }
}
