import { LiveHub } from './live-hub';
import type { LiveNotice } from './live-notice';

const notice = (tenantId: string): LiveNotice => ({ tenantId, kind: 'ticket', change: 'created', ticketId: 't-1', occurredAt: '' });

describe('LiveHub', () => {
  it("delivers a notice to its tenant's channels only", () => {
    const hub = new LiveHub();
    const demo: LiveNotice[] = [];
    const rival: LiveNotice[] = [];
    hub.subscribe('demo', (n) => demo.push(n));
    hub.subscribe('rival-shop', (n) => rival.push(n));
    hub.publish(notice('demo'));
    expect(demo).toHaveLength(1);
    expect(rival).toHaveLength(0);
  });

  it('stops delivering once a channel closes, and forgets an empty tenant', () => {
    const hub = new LiveHub();
    const got: LiveNotice[] = [];
    const unsubscribe = hub.subscribe('demo', (n) => got.push(n));
    expect(hub.channels('demo')).toBe(1);
    unsubscribe();
    unsubscribe(); // closing twice (close and error events) must not count twice
    hub.publish(notice('demo'));
    expect(got).toHaveLength(0);
    expect(hub.channels('demo')).toBe(0);
  });
});
