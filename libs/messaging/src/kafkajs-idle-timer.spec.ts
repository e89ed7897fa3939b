import { KafkaRequestQueue } from './kafkajs-idle-timer';

type Queue = { pending: unknown[]; throttleCheckTimeoutId: NodeJS.Timeout | null; scheduleCheckPendingRequests: () => void };

const queue = (): Queue => {
  const Constructor = KafkaRequestQueue as unknown as new (options: object) => Queue;
  const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined };
  return new Constructor({
    instrumentationEmitter: null,
    maxInFlightRequests: 1,
    requestTimeout: 1000,
    clientId: 'c',
    broker: 'b',
    logger,
  });
};

describe("kafkajs's request queue, as the bus loads it", () => {
  it('arms no timer while no request waits (kafkajs re-armed a 1 ms one for ever)', () => {
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks later while requests wait', () => {
    const q = queue();
    q.pending.push({});
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(q.throttleCheckTimeoutId!);
  });
});
