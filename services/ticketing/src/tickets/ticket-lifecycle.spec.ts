import { checkTransition, parseStatus, TICKET_STATUSES, type TicketStatus } from './ticket-lifecycle';
import { TicketError } from './ticket.errors';

function refusal(action: () => void): TicketError {
  try {
    action();
  } catch (error) {
    if (error instanceof TicketError) return error;
    throw error;
  }
  throw new Error('expected a TicketError, nothing was thrown');
}

describe('ticket lifecycle', () => {
  it.each<[TicketStatus, TicketStatus]>([
    ['open', 'assigned'],
    ['assigned', 'waiting_on_customer'],
    ['waiting_on_customer', 'assigned'],
    ['assigned', 'resolved'],
    ['waiting_on_customer', 'resolved'],
    ['resolved', 'closed'],
    ['resolved', 'open'],
    ['assigned', 'open'],
    ['open', 'closed'],
  ])('allows %s → %s', (from, to) => {
    expect(() => checkTransition(from, to)).not.toThrow();
  });

  it.each<[TicketStatus, TicketStatus]>([
    ['open', 'waiting_on_customer'],
    ['resolved', 'assigned'],
    ['open', 'open'],
    ['resolved', 'waiting_on_customer'],
  ])('refuses %s → %s, naming both and where it can go', (from, to) => {
    const error = refusal(() => checkTransition(from, to));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toContain(`from ${from} to ${to}`);
    expect(error.message).toMatch(/it can go to \w+/);
  });

  it('treats closed as final', () => {
    for (const to of TICKET_STATUSES) expect(() => checkTransition('closed', to)).toThrow(/closed is final/);
  });

  it('refuses an unknown status by name', () => {
    expect(() => parseStatus('status', 'done')).toThrow(
      'status must be one of open, assigned, waiting_on_customer, resolved, closed; got "done"',
    );
    expect(parseStatus('status', 'resolved')).toBe('resolved');
  });
});
