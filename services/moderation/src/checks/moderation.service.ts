// Decides what may pass: customer input is redacted of PII before any other service sees it;
// abusive input is answered with a calm reply instead; a reply that would reveal PII is blocked.
import { Injectable } from '@nestjs/common';
import { Action, CheckResultSchema, create, Direction, type CheckRequest, type CheckResult } from '@switchboard/contracts';
import { redactPii } from './pii-redactor';

// A deliberately small seed list; per-tenant lists and the multi-pattern matcher come with the
// moderation issue. Matching is on whole words, case-insensitively.
const ABUSE = ['fuck', 'fucking', 'shit', 'bitch', 'asshole', 'idiot', 'moron', '傻逼', '操你', '去死'];
const abusePattern = new RegExp(`(?:^|[^\\p{L}])(${ABUSE.join('|')})(?=$|[^\\p{L}])`, 'iu');

export const SAFE_REPLY_ABUSE = "I want to help, and I'll do my best. Could you tell me what went wrong with your order or account?";
export const SAFE_REPLY_OUTPUT = "I'm sorry, I can't share that here. A member of our team can help you with it.";

@Injectable()
export class ModerationService {
  check(request: CheckRequest): CheckResult {
    const { text, findings } = redactPii(request.text);
    const result = create(CheckResultSchema, {
      action: findings.length > 0 ? Action.REDACT : Action.ALLOW,
      text,
      findings: findings.map((f) => ({ rule: f.rule, category: 'pii', start: f.start, end: f.end })),
    });
    if (request.direction === Direction.INPUT) {
      const abuse = abusePattern.exec(request.text);
      if (abuse) {
        const start = abuse.index + abuse[0].indexOf(abuse[1]);
        result.findings.push({ $typeName: 'switchboard.moderation.v1.Finding', rule: 'words.abuse', category: 'abuse', start, end: start + abuse[1].length, action: Action.BLOCK });
        result.action = Action.BLOCK;
        result.safeReply = SAFE_REPLY_ABUSE;
      }
    } else if (findings.length > 0) {
      // A reply must never carry personal data it was not asked to; better to say so than leak.
      result.action = Action.BLOCK;
      result.safeReply = SAFE_REPLY_OUTPUT;
    }
    return result;
  }
}
