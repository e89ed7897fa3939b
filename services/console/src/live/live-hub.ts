// Fans notices out to the open live channels of the notice's tenant, and to no other tenant's.
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { LiveNotice } from './live-notice';

export type NoticeListener = (notice: LiveNotice) => void;

const openChannels = new Gauge({ name: 'console_live_channels', help: 'Open live-update channels (browsers)' });

@Injectable()
export class LiveHub {
  private readonly byTenant = new Map<string, Set<NoticeListener>>();

  /** Returns the unsubscribe function. */
  subscribe(tenantId: string, listener: NoticeListener): () => void {
    let listeners = this.byTenant.get(tenantId);
    if (!listeners) this.byTenant.set(tenantId, (listeners = new Set()));
    listeners.add(listener);
    openChannels.inc();
    return () => {
      if (!listeners.delete(listener)) return;
      openChannels.dec();
      if (listeners.size === 0) this.byTenant.delete(tenantId);
    };
  }

  publish(notice: LiveNotice): void {
    for (const listener of this.byTenant.get(notice.tenantId) ?? []) listener(notice);
  }

  channels(tenantId: string): number {
    return this.byTenant.get(tenantId)?.size ?? 0;
  }
}
