import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { runWithContext } from './context';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger('test', 'info', sink) };
}

describe('createLogger', () => {
  it('never writes customer text or secrets, at any depth', () => {
    const { lines, log } = capture();
    log.info({ text: 'my card is 4111 1111 1111 1111', turn: { text: 'jane@example.com' }, apiKey: 'sk-secret' }, 'turn');
    const out = lines.join('');
    expect(out).not.toContain('4111');
    expect(out).not.toContain('jane@example.com');
    expect(out).not.toContain('sk-secret');
    expect(out).toContain('[redacted]');
  });

  it('stamps every line with the ids of the message being handled', () => {
    const { lines, log } = capture();
    runWithContext({ correlationId: 'corr-1', tenantId: 'acme' }, () => log.info('handled'));
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ service: 'test', correlationId: 'corr-1', tenantId: 'acme', msg: 'handled' });
  });
});
