// The ticket lifecycle: open → assigned → waiting_on_customer → resolved → closed, with the
// detours support teams need (unassign back to open, reopen a resolved ticket). Closed is final.
import { TicketError } from './ticket.errors';

export const TICKET_STATUSES = ['open', 'assigned', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

const NEXT: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['assigned', 'resolved', 'closed'],
  assigned: ['open', 'waiting_on_customer', 'resolved', 'closed'],
  waiting_on_customer: ['assigned', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

export function isTicketStatus(value: string): value is TicketStatus {
  return (TICKET_STATUSES as readonly string[]).includes(value);
}

export function parseStatus(field: string, value: string): TicketStatus {
  if (!isTicketStatus(value))
    throw new TicketError('INVALID_ARGUMENT', `${field} must be one of ${TICKET_STATUSES.join(', ')}; got "${value}"`);
  return value;
}

/** Refuses a move the lifecycle does not allow, saying where the ticket can go instead. */
export function checkTransition(from: TicketStatus, to: TicketStatus): void {
  if (NEXT[from].includes(to)) return;
  const options = NEXT[from].length > 0 ? `from ${from} it can go to ${NEXT[from].join(', ')}` : `${from} is final`;
  throw new TicketError('INVALID_TRANSITION', `a ticket cannot go from ${from} to ${to}: ${options}`);
}
