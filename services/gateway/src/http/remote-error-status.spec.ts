// Every error code in the protos has an HTTP status at the gateway, checked twice: by the compiler
// (each table `satisfies` a record over its enum's names) and here, over the generated enums.
import {
  ConversationErrorCode,
  errorCodeNames,
  ModerationErrorCode,
  RetrievalErrorCode,
  TicketingErrorCode,
  WebhookErrorCode,
} from '@switchboard/contracts';
import {
  CONVERSATION_STATUS,
  MODERATION_STATUS,
  remoteStatus,
  RETRIEVAL_STATUS,
  TICKETING_STATUS,
  WEBHOOK_STATUS,
  type StatusOf,
} from './remote-error-status';

const APIS = [
  ['retrieval', RetrievalErrorCode, RETRIEVAL_STATUS],
  ['ticketing', TicketingErrorCode, TICKETING_STATUS],
  ['conversation', ConversationErrorCode, CONVERSATION_STATUS],
  ['moderation', ModerationErrorCode, MODERATION_STATUS],
  ['webhooks', WebhookErrorCode, WEBHOOK_STATUS],
] as const;

it.each(APIS)('maps every %s error code in the protos, and nothing else', (_api, codes, statuses) => {
  const names = errorCodeNames(codes);
  expect(names.length).toBeGreaterThan(1);
  expect(Object.keys(statuses).sort()).toEqual([...names].sort());
  for (const name of names) expect(remoteStatus(name)).toBeGreaterThanOrEqual(400);
});

it('gives a name several APIs share one status', () => {
  const byName = new Map<string, Set<number>>();
  for (const [, , statuses] of APIS)
    for (const [name, status] of Object.entries(statuses)) byName.set(name, (byName.get(name) ?? new Set()).add(status));
  const conflicting = [...byName].filter(([, statuses]) => statuses.size > 1).map(([name]) => name);
  expect(conflicting).toEqual([]);
});

it('answers what the caller can act on, and 502 only for a code no API declares', () => {
  expect(remoteStatus('TOO_LARGE')).toBe(413); // an oversized document was a 502 before the codes were in the protos
  expect(remoteStatus('CONVERSATION_HELD')).toBe(409);
  expect(remoteStatus('NOT_TICKET_HOLDER')).toBe(403);
  expect(remoteStatus('INTERNAL')).toBe(502);
  expect(remoteStatus('constructor')).toBe(502);
});

// The compile-time half: a table that leaves out one of its enum's codes does not type-check. If
// this ever compiled, the directive would be unused and `tsc` would fail.
export const incomplete = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  UNSUPPORTED_TYPE: 415,
  UNREADABLE: 422,
  INVALID_FAQ: 422,
  EMPTY: 422,
  UNKNOWN_MODEL: 400,
  // @ts-expect-error TOO_LARGE has no status
} satisfies StatusOf<typeof RetrievalErrorCode>;
