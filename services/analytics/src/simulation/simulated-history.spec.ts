import { Topics } from '@switchboard/contracts';
import { simulateHistory, type SimulatedEvent } from './simulated-history';

// Ends on a Sunday, so the 14 days hold two whole weeks.
const events: SimulatedEvent[] = [
  ...simulateHistory({ tenantId: 'sim', days: 14, now: new Date('2026-11-15T23:59:00Z'), seed: 7, perDay: 100 }),
];
const lifecycle = events.flatMap((e) => (e.topic === 'conversation' ? [e.event] : []));
const tickets = events.flatMap((e) => (e.topic === 'ticket' ? [e.event] : []));

describe('simulated history', () => {
  it("passes the topics' own field rules, every event", () => {
    for (const e of lifecycle) expect(Topics.conversationEvents.validate(e)).toEqual([]);
    for (const e of tickets) expect(Topics.ticketEvents.validate(e)).toEqual([]);
  });

  it('is quieter at weekends and at night', () => {
    const started = new Map<string, Date>();
    for (const e of lifecycle)
      if (e.kind.case === 'turnCompleted' && !started.has(e.conversationId))
        started.set(e.conversationId, new Date(e.kind.value.receivedAt));
    const days = [...started.values()];
    const weekend = days.filter((d) => d.getUTCDay() === 0 || d.getUTCDay() === 6).length / 4;
    const weekday = days.filter((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6).length / 10;
    expect(weekend).toBeLessThan(weekday * 0.75);
    const night = days.filter((d) => d.getUTCHours() < 5).length;
    const lateMorning = days.filter((d) => d.getUTCHours() >= 10 && d.getUTCHours() < 15).length;
    expect(night).toBeLessThan(lateMorning / 4);
  });

  it('hands off a share of conversations into tickets, resolves most, reopens some, and gets ratings', () => {
    const conversations = new Set(lifecycle.map((e) => e.conversationId)).size;
    const handoffs = lifecycle.filter((e) => e.kind.case === 'handoffRequested').length;
    expect(handoffs / conversations).toBeGreaterThan(0.1);
    expect(handoffs / conversations).toBeLessThan(0.4);
    expect(tickets.filter((e) => e.kind.case === 'created')).toHaveLength(handoffs);
    expect(tickets.filter((e) => e.kind.case === 'statusChanged').length).toBeGreaterThan(0);
    const rated = lifecycle.filter((e) => e.kind.case === 'rated').length;
    expect(rated / conversations).toBeGreaterThan(0.2);
    expect(rated / conversations).toBeLessThan(0.4);
  });

  it('is reproducible from its seed', () => {
    const again = [...simulateHistory({ tenantId: 'sim', days: 14, now: new Date('2026-11-15T23:59:00Z'), seed: 7, perDay: 100 })];
    expect(again.map((e) => [e.topic, e.event.occurredAt, e.event.kind.case])).toEqual(
      events.map((e) => [e.topic, e.event.occurredAt, e.event.kind.case]),
    );
  });
});
