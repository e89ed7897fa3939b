// scripts/check-test-logs.mjs, which scripts/test.sh runs after Jest over the e2e services' logs:
// it names the file, line and kind of every leak and fails; clean logs pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = path.join(__dirname, '..', 'scripts', 'check-test-logs.mjs');

function check(logs: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), 'log-check-'));
  for (const [file, text] of Object.entries(logs)) {
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe('the e2e log check', () => {
  it('fails naming each file, line and kind of leak, never the value', () => {
    const { status, out } = check({
      'e2e_a/integration.log': '{"msg":"started"}\n{"msg":"webhook endpoint registered","url":"https://example.com/at-rest-hook"}\n',
      'e2e_a/gateway.log': '{"err":{"detail":"Key (tenant_id, phone)=(shop, +15551234567) already exists."}}\n',
      'e2e_b/conversation.log': '{"msg":"state","slots":{"email":"ann.lee@example.com"}}\n{"refresh":"sbr_' + 'a'.repeat(43) + '"}\n',
    });
    expect(status).toBe(1);
    expect(out).toContain(`e2e_a${path.sep}integration.log:2: a webhook URL's path (at-rest)`);
    expect(out).toContain(`e2e_a${path.sep}gateway.log:1: an international phone number`);
    expect(out).toContain(`e2e_b${path.sep}conversation.log:1: an email address`);
    expect(out).toContain(`e2e_b${path.sep}conversation.log:2: a refresh token`);
    expect(out).not.toMatch(/15551234567|ann\.lee/);
  });

  it('passes logs whose secrets and customer data were redacted', () => {
    const { status, out } = check({
      'e2e_a/integration.log': '{"msg":"webhook endpoint registered","url":"https://example.com/[redacted]","password":"[redacted]"}\n',
      'e2e_a/gateway.log':
        '{"err":{"message":"duplicate key value violates unique constraint","code":"23505"},"time":"2026-12-05T22:14:15+00:00","username":"sam@support"}\n',
    });
    expect(out).toContain('log check: 2 service logs, 2 lines, no customer data or secrets');
    expect(status).toBe(0);
  });
});
