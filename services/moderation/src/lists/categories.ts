// What a built-in list word does, by category. Only categories whose words are unambiguous in
// customer service block; the rest are recorded for review (action ALLOW) and change nothing.
// Replies are checked for abuse only: a shop's own answers name what they forbid ("违禁品包括
// 枪支、炸药、毒品"), and the community lists tag its wording ("买一送一" as crime), so blocking
// there would throw away correct answers. docs/moderation.md has the measurements.
import { Action, Direction } from '@switchboard/contracts';
import type { ReplyKind } from '../checks/safe-replies';

export type Category = 'abuse' | 'porn' | 'drugs' | 'gambling' | 'weapons' | 'crime' | 'self_harm' | 'threat' | 'politics' | 'terror';

export interface CategoryPolicy {
  action: Action;
  /** DIRECTION_UNSPECIFIED: customer messages and replies alike. */
  direction: Direction;
  reply: ReplyKind;
}

export const CATEGORIES: Record<Category, CategoryPolicy> = {
  abuse: { action: Action.BLOCK, direction: Direction.UNSPECIFIED, reply: 'abuse' },
  porn: { action: Action.BLOCK, direction: Direction.INPUT, reply: 'content' },
  drugs: { action: Action.BLOCK, direction: Direction.INPUT, reply: 'content' },
  gambling: { action: Action.BLOCK, direction: Direction.INPUT, reply: 'content' },
  weapons: { action: Action.BLOCK, direction: Direction.INPUT, reply: 'content' },
  crime: { action: Action.BLOCK, direction: Direction.INPUT, reply: 'content' },
  // A person in distress or a threat needs a human, not a canned answer.
  self_harm: { action: Action.ESCALATE, direction: Direction.INPUT, reply: 'support' },
  threat: { action: Action.ESCALATE, direction: Direction.INPUT, reply: 'handoff' },
  // Names of people, places and movements; the "暴恐" list is mostly names of banned movements plus
  // medicines (地塞米松, 咖啡因). Context decides, so a reviewer does.
  politics: { action: Action.ALLOW, direction: Direction.INPUT, reply: 'content' },
  terror: { action: Action.ALLOW, direction: Direction.INPUT, reply: 'content' },
};
