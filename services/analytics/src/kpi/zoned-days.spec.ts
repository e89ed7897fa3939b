import { localDate, startOfLocalDay } from './zoned-days';

describe('zoned days', () => {
  it("gives the tenant's calendar date at an instant", () => {
    const instant = new Date('2026-11-30T17:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-11-30');
    expect(localDate(instant, 'Asia/Shanghai')).toBe('2026-12-01'); // 01:30 the next day
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-11-30');
  });

  it("starts a day at the tenant's midnight, across daylight-saving changes", () => {
    expect(startOfLocalDay('2026-12-01', 'UTC').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(startOfLocalDay('2026-12-01', 'Asia/Shanghai').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    // New York: UTC-4 in summer, UTC-5 from 1 November 2026.
    expect(startOfLocalDay('2026-07-01', 'America/New_York').toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });
});
