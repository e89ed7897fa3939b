// Benchmark: how long a hand-off takes to appear in an agent's open inbox. Brings up a private stack
// with the web console, signs an agent in with headless Chromium (Debian's chromium, driven by
// playwright-core), then has customers ask for a person one after another. For each, the clock
// starts when the customer's Converse stream receives the hand-off event and stops when the
// ticket's row appears in the inbox page (a MutationObserver in the page; same machine clock).
// Prints p50/p95/max and stops what it started. Not a test: figures only.
import { randomBytes, randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { ChatClient } from '../chat/chat.client';
import { percentile } from './percentile';
import { startPrivateStack } from './private-stack';
import { WITH_CONSOLE } from '../stack/local-stack';

export function consoleBenchCommand(): Command {
  return new Command('console')
    .description('hand-off event → row in an open inbox (browser), p50/p95, on a private stack with the web console')
    .option('-n, --handoffs <n>', 'measured hand-offs', '20')
    .option('--chromium <path>', 'the Chromium binary', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
    .action((options: { handoffs: string; chromium: string }) => benchConsole(Number(options.handoffs), options.chromium));
}

async function benchConsole(handoffs: number, chromiumPath: string): Promise<void> {
  // A dev dependency: operators running the CLI without the browser tooling never load it.
  const { chromium } = await import('playwright-core');
  const { stack, run, demoKey, close } = await startPrivateStack(22_000, WITH_CONSOLE);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const adminKey = demoKey();
    const password = randomBytes(12).toString('base64url');
    const created = await fetch(`http://127.0.0.1:${stack.httpPort('gateway')}/v1/users`, {
      method: 'POST',
      headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-agent', password, role: 'agent' }),
    });
    if (created.status !== 201) throw new Error(`creating the agent: ${created.status} ${await created.text()}`);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`http://127.0.0.1:${stack.httpPort('console')}/`);
    await page.getByLabel('Tenant').fill('demo');
    await page.getByLabel('Username').fill('bench-agent');
    await page.getByRole('textbox', { name: 'Password' }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 });
    // Records when each conversation's row first appears, by the page's clock (the machine's).
    await page.evaluate(`(() => {
      window.__seen = {};
      const mark = () => document.querySelectorAll('tr[data-conversation-id]').forEach((row) => { window.__seen[row.dataset.conversationId] ??= Date.now(); });
      new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
    })()`);

    const client = new ChatClient(stack.grpcAddress, adminKey);
    const latencies: number[] = [];
    for (let i = -2; i < handoffs; i += 1) {
      // two warm-up hand-offs
      let handoffAt = 0;
      let conversationId = '';
      for await (const e of client.converse({
        clientMessageId: randomUUID(),
        customerId: `bench-${run}-${i}`,
        channel: 'web',
        locale: 'en-US',
        text: 'I want to talk to a human agent please',
      })) {
        conversationId = e.conversationId;
        if (e.kind === 'handoff' && handoffAt === 0) handoffAt = Date.now();
      }
      if (handoffAt === 0) throw new Error(`hand-off ${i} did not happen (conversation ${conversationId})`);
      await page.waitForFunction(`window.__seen[${JSON.stringify(conversationId)}] !== undefined`, undefined, { timeout: 30_000 });
      const seenAt = await page.evaluate<number>(`window.__seen[${JSON.stringify(conversationId)}]`);
      if (i >= 0) latencies.push(seenAt - handoffAt);
    }
    client.close();
    latencies.sort((a, b) => a - b);
    console.log(`hand-offs: ${handoffs} (one at a time, after 2 warm-up)`);
    console.log(
      `hand-off event on the customer's stream → row in the open inbox, ms: p50 ${percentile(latencies, 50)}, p95 ${percentile(latencies, 95)}, max ${latencies[latencies.length - 1]}`,
    );
  } finally {
    await browser.close();
    await close();
  }
}
