// Which proxies may tell the gateway who the client is (X-Forwarded-For). Sign-in limits count per
// client address, so trusting every hop would let a caller pick a fresh address per attempt, and
// trusting none behind a load balancer would put every agent behind one address.
import type { INestApplication } from '@nestjs/common';

/** Express's "trust proxy" from TRUSTED_PROXIES: a hop count, or addresses/subnets/names ("loopback"). */
export function trustProxies(app: INestApplication, setting: string): void {
  const value = setting.trim();
  if (value === '') return;
  const express = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void };
  express.set(
    'trust proxy',
    /^\d+$/.test(value)
      ? Number(value)
      : value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
  );
}
