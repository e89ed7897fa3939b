import { create, ErasureReportSchema } from '@switchboard/contracts';
import { ErasureWaiter } from './erasure-waiter';

const report = (requestId: string, service: string, tenantId = 'acme') =>
  create(ErasureReportSchema, {
    tenantId,
    requestId,
    service,
    removed: { 'x.rows': 3n },
    kept: ['why'],
    completedAt: new Date().toISOString(),
  });

describe('ErasureWaiter', () => {
  it('answers as soon as every service reported, with counts as numbers', async () => {
    const waiter = new ErasureWaiter(['conversation', 'gateway']);
    const collecting = waiter.expect('acme', 'r1');
    waiter.accept(report('r1', 'conversation'));
    waiter.accept(report('r1', 'gateway'));
    const started = Date.now();
    const collected = await collecting.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(collected).toEqual({
      complete: true,
      missing: [],
      reports: { conversation: { removed: { 'x.rows': 3 }, kept: ['why'] }, gateway: { removed: { 'x.rows': 3 }, kept: ['why'] } },
    });
  });

  it('names the services still missing when the wait ends', async () => {
    const waiter = new ErasureWaiter(['conversation', 'ticketing', 'gateway']);
    const collecting = waiter.expect('acme', 'r2');
    setTimeout(() => waiter.accept(report('r2', 'ticketing')), 20);
    const collected = await collecting.wait(200);
    expect(collected.complete).toBe(false);
    expect(collected.missing).toEqual(['conversation', 'gateway']);
    expect(Object.keys(collected.reports)).toEqual(['ticketing']);
  });

  it('ignores reports of other requests, of another tenant, and of requests it no longer waits for', async () => {
    const waiter = new ErasureWaiter(['gateway']);
    const collecting = waiter.expect('acme', 'r3');
    waiter.accept(report('r4', 'gateway'));
    waiter.accept(report('r3', 'gateway', 'globex'));
    expect((await collecting.wait(50)).complete).toBe(false);
    expect(() => waiter.accept(report('r3', 'gateway'))).not.toThrow();
  });
});
