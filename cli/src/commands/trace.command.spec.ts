import type { Span } from '@switchboard/messaging';
import { renderTrace } from './trace.command';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, 0, ms)).toISOString();
const span = (messageId: string, causationId: string | undefined, topic: string, service: string, times: number[]): Span => ({
  traceId: 'a'.repeat(32),
  tenantId: 'demo',
  messageId,
  causationId,
  topic,
  service,
  publishedAt: at(times[0]),
  startedAt: at(times[1]),
  endedAt: at(times[2]),
  outcome: 'ok',
});

describe('renderTrace', () => {
  it("prints the hops as a tree under the turn, with each one's wait in Kafka and its handling time", () => {
    const lines = renderTrace([
      span('turn', undefined, 'conversation.inbound.v1', 'conversation', [0, 4, 300]),
      span('search', 'turn', 'retrieval.search.v1', 'retrieval', [20, 23, 60]),
      span('reply', 'turn', 'conversation.outbound.v1', 'gateway', [295, 310, 312]),
    ]);
    expect(lines).toEqual([
      `trace ${'a'.repeat(32)}: 3 messages handled, 312 ms from the turn's publishing to the last one's end`,
      '  start  waited    took  service        message',
      '     +4       4     296  conversation   conversation.inbound.v1',
      '    +23       3      37  retrieval        retrieval.search.v1',
      '   +310      15       2  gateway          conversation.outbound.v1',
    ]);
  });

  it('shows a hop whose parent was not recorded at the top level, and nothing for no spans', () => {
    expect(renderTrace([])).toEqual([]);
    const lines = renderTrace([span('orphan', 'gone', 'ticket.events.v1', 'analytics', [0, 1, 2])]);
    expect(lines[2]).toContain('ticket.events.v1');
  });
});
