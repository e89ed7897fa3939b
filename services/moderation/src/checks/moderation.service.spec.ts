import { Action, create, CheckRequestSchema, Direction } from '@switchboard/contracts';
import { ModerationService, SAFE_REPLY_ABUSE, SAFE_REPLY_OUTPUT } from './moderation.service';

const service = new ModerationService();
const check = (direction: Direction, text: string) => service.check(create(CheckRequestSchema, { tenantId: 't', conversationId: 'c', direction, text }));

describe('ModerationService', () => {
  it('allows ordinary questions untouched', () => {
    const result = check(Direction.INPUT, 'How do I return a keyboard?');
    expect(result.action).toBe(Action.ALLOW);
    expect(result.text).toBe('How do I return a keyboard?');
  });

  it('redacts PII in customer input and records the rule', () => {
    const result = check(Direction.INPUT, 'my email is sam@example.com');
    expect(result.action).toBe(Action.REDACT);
    expect(result.text).toBe('my email is [EMAIL]');
    expect(result.findings[0].rule).toBe('pii.email');
  });

  it('answers abuse with a calm safe reply and says which rule fired', () => {
    const result = check(Direction.INPUT, 'this is fucking useless');
    expect(result.action).toBe(Action.BLOCK);
    expect(result.safeReply).toBe(SAFE_REPLY_ABUSE);
    expect(result.findings.map((f) => f.rule)).toContain('words.abuse');
  });

  it('does not flag words that merely contain an abusive substring', () => {
    expect(check(Direction.INPUT, 'I live in Scunthorpe and need a shipping quote').action).toBe(Action.ALLOW);
  });

  it('blocks a reply that would reveal personal data', () => {
    const result = check(Direction.OUTPUT, 'The card on file is 4111 1111 1111 1111.');
    expect(result.action).toBe(Action.BLOCK);
    expect(result.safeReply).toBe(SAFE_REPLY_OUTPUT);
  });
});
