import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { redactText } from './redaction';

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

describe('log redaction', () => {
  it('censors secret and customer keys at any depth, in arrays too', () => {
    const { lines, log } = capture();
    log.info(
      {
        a: { b: { c: { d: { e: { password: 'hunter2-deep', list: [{ refreshToken: 'sbr_deep' }] } } } } },
        Headers: { Authorization: 'Bearer eyJdeep' },
      },
      'deep',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/hunter2-deep|sbr_deep|eyJdeep/);
    expect(JSON.parse(out).a.b.c.d.e).toEqual({ password: '[redacted]', list: [{ refreshToken: '[redacted]' }] });
  });

  it('keeps only the scheme and host of every URL, in values and messages', () => {
    const { lines, log } = capture();
    const hook = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX?token=abc';
    log.info({ url: hook, nested: { target: 'https://user:pa55@crm.example.com/api?key=k1' } }, `delivering to ${hook}`);
    const line = JSON.parse(lines[0]);
    expect(line.url).toBe('https://hooks.slack.com/[redacted]');
    expect(line.nested.target).toBe('https://crm.example.com/[redacted]');
    expect(line.msg).toBe('delivering to https://hooks.slack.com/[redacted]');
    expect(lines[0]).not.toMatch(/XXXXsecret|pa55|key=k1|token=abc/);
  });

  it('drops what a database error quotes of the row: parameters, detail, quoted values', () => {
    const { lines, log } = capture();
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "customers_phone"'), {
      code: '23505',
      constraint: 'customers_phone',
      detail: 'Key (tenant_id, phone)=(shop, +15551234567) already exists.',
    });
    const error = Object.assign(new Error(driverError.message), {
      name: 'QueryFailedError',
      query: 'insert into x values ($1, $2)',
      parameters: ['shop', 'ann@example.com'],
      driverError,
      detail: driverError.detail,
      code: '23505',
      constraint: 'customers_phone',
    });
    log.error({ err: error }, 'insert failed');
    log.error(error);
    const out = lines.join('');
    expect(out).not.toMatch(/15551234567|ann@example\.com/);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({
      message: 'duplicate key value violates unique constraint "customers_phone"',
      code: '23505',
      constraint: 'customers_phone',
    });
    expect(first.err).not.toHaveProperty('parameters');
    expect(second.msg).toBe('duplicate key value violates unique constraint "customers_phone"');
  });

  it('cleans emails, +phone numbers and Postgres quoted values out of free text', () => {
    expect(redactText('Key (tenant_id, phone)=(shop, +15551234567) already exists.')).toBe(
      'Key (tenant_id, phone)=([redacted]) already exists.',
    );
    expect(redactText('invalid input syntax for type uuid: "ann@example.com"')).toBe('invalid input syntax for type uuid: [redacted]');
    expect(redactText('mail to ann.lee@example.co.uk or call +1 (415) 555-0123 at 2026-12-05T22:14:15+00:00')).toBe(
      'mail to [email] or call [phone] at 2026-12-05T22:14:15+00:00',
    );
    expect(redactText('postgres://postgres:pw@127.0.0.1:5432/switchboard_test')).toBe('postgres://127.0.0.1:5432/[redacted]');
  });

  it('stays linear on long adversarial strings', () => {
    const hostile = `${'a'.repeat(50_000)}@${'b.'.repeat(25_000)} ${'+1'.repeat(20_000)} Key (${'x'.repeat(20_000)}`;
    const started = performance.now();
    redactText(hostile);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
