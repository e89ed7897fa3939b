// Which failures the bus waits out (its stores are down) and which it reports at once: the bus's
// own calls retry only the first kind, so a refused command never holds a partition forever.
import { KafkaJSConnectionError, KafkaJSProtocolError } from 'kafkajs';
import { isOutage } from './errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isOutage', () => {
  it('names a store that cannot be reached: network codes, Kafka, Redis and PostgreSQL connection errors', () => {
    expect(isOutage(withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'))).toBe(true);
    expect(isOutage(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))).toBe(true);
    expect(isOutage(new Error('Connection is closed.'))).toBe(true);
    expect(isOutage(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    // A broker that has just restarted: no leader yet, which kafkajs marks retriable.
    expect(isOutage(Object.assign(new KafkaJSProtocolError('no leader'), { retriable: true }))).toBe(true);
    expect(isOutage(Object.assign(new Error('send failed'), { cause: withCode('reset', 'ECONNRESET') }))).toBe(true);
  });

  it('does not name a refused command or a wrong message, which no waiting mends', () => {
    expect(isOutage(new Error('OOM command not allowed when used memory > maxmemory'))).toBe(false);
    expect(isOutage(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isOutage(Object.assign(new KafkaJSProtocolError('too large'), { retriable: false }))).toBe(false);
    expect(isOutage(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isOutage('a string')).toBe(false);
  });
});
