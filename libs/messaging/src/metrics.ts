import { Counter, Histogram, register } from 'prom-client';

function once<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export const consumed = once(
  'switchboard_messages_consumed_total',
  () =>
    new Counter({
      name: 'switchboard_messages_consumed_total',
      help: 'Messages handled, by topic and outcome',
      labelNames: ['topic', 'outcome'],
    }),
);
export const handleSeconds = once(
  'switchboard_message_handle_seconds',
  () =>
    new Histogram({
      name: 'switchboard_message_handle_seconds',
      help: 'Time to handle one message',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);
export const published = once(
  'switchboard_messages_published_total',
  () => new Counter({ name: 'switchboard_messages_published_total', help: 'Messages published, by topic', labelNames: ['topic'] }),
);
/** Requests this process sent to Kafka, by API (Fetch, Produce, Heartbeat, OffsetCommit, …): where broker work comes from. */
export const kafkaRequests = once(
  'switchboard_kafka_requests_total',
  () => new Counter({ name: 'switchboard_kafka_requests_total', help: 'Requests sent to Kafka, by API', labelNames: ['api'] }),
);
export const rpcSeconds = once(
  'switchboard_rpc_seconds',
  () =>
    new Histogram({
      name: 'switchboard_rpc_seconds',
      help: 'Request-reply round trips, by topic and outcome',
      labelNames: ['topic', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
);
