import { Writable } from 'node:stream';
import { Action, CheckRequestSchema, create, Direction } from '@switchboard/contracts';
import { createLogger } from '@switchboard/logging';
import { BuiltInLists } from '../lists/built-in-lists';
import type { PolicyCache } from '../policies/policy-cache';
import { ModerationService } from './moderation.service';

describe('ModerationService', () => {
  it('logs rule names and counts, never the text or the words that matched', async () => {
    const lines: string[] = [];
    const log = createLogger('moderation', 'debug', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    const noPolicies = { current: async () => undefined } as unknown as PolicyCache;
    const service = new ModerationService(BuiltInLists.fromWords(BuiltInLists.seedWords(), []), noPolicies, log);

    const text = 'You moron, mail sam@example.com, you moron';
    const result = await service.check(
      create(CheckRequestSchema, { tenantId: 't', conversationId: 'c', direction: Direction.INPUT, text }),
    );

    expect(result.action).toBe(Action.BLOCK);
    const logged = lines.join('');
    expect(JSON.parse(lines[0])).toMatchObject({ direction: 'INPUT', action: 'BLOCK', rules: { 'words.abuse': 2, 'pii.email': 1 } });
    expect(logged).not.toMatch(/moron|sam@example\.com|You/);
  });
});
