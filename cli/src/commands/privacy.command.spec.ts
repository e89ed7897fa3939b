import { create, ErasureReportSchema, RetentionPolicySchema } from '@switchboard/contracts';
import { collect, formatErasure, formatRetention } from './privacy.command';

const report = (service: string, removed: Record<string, bigint>, kept: string[] = []) =>
  create(ErasureReportSchema, { tenantId: 'demo', requestId: 'r1', service, removed, kept, completedAt: new Date().toISOString() });

describe('privacy erase output', () => {
  it('lists every removed count by service and store, then what was kept', () => {
    const result = collect('r1', [
      report('conversation', { 'conversation.messages': 12n, 'redis:dialogue_state': 2n }),
      report('ticketing', { 'ticketing.tickets': 1n }, ['ticketing.audit_events: kept']),
      report('integration', {}),
      report('gateway', { 'redis:rate_limit_window': 0n }),
      report('analytics', {}),
    ]);
    expect(result).toMatchObject({ complete: true, missing: [] });
    expect(formatErasure(result)).toBe(
      [
        'Erasure r1: every service reported',
        '',
        'SERVICE       REMOVED FROM             COUNT',
        'conversation  conversation.messages       12',
        'conversation  redis:dialogue_state         2',
        'ticketing     ticketing.tickets            1',
        'gateway       redis:rate_limit_window      0',
        '',
        'Kept on purpose:',
        '  ticketing: ticketing.audit_events: kept',
      ].join('\n'),
    );
  });

  it('says which services have not reported', () => {
    const result = collect('r1', [report('gateway', {})]);
    expect(result).toMatchObject({ complete: false, missing: ['conversation', 'ticketing', 'integration', 'analytics'] });
    expect(formatErasure(result).split('\n')[0]).toBe(
      'Erasure r1: incomplete, no report yet from conversation, ticketing, integration, analytics',
    );
  });
});

it('privacy retention shows 0 as kept for ever', () => {
  expect(formatRetention(create(RetentionPolicySchema, { tenantId: 'demo', conversationDays: 365, attachmentDays: 0 }))).toBe(
    [
      'Tenant "demo":',
      '  conversations (messages, tickets, notes): kept 365 days after their last message',
      '  attachment references in customer messages: kept for ever',
    ].join('\n'),
  );
});
