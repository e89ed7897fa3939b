// Recognises attempts to re-program the assistant through a customer message: "ignore previous
// instructions", "reveal your system prompt", jailbreak personas, chat-template role tags, in
// English and Chinese. Heuristics, tuned for precision: a customer who writes "ignore my previous
// message" or asks how to turn on developer mode on a phone must not be refused.
import type { FoldedText } from '../matching/text-folding';

export interface InjectionFinding {
  rule: string;
  start: number;
  end: number;
}

// Not "my": "ignore my previous instructions about delivery" is a customer changing their mind.
const DETERMINER = String.raw`(?:all|any|every|the|your|these|those|of)`;
const EARLIER = String.raw`(?:previous|prior|above|earlier|preceding|former|original|initial|system|developer|existing|safety)`;
const INSTRUCTIONS = String.raw`(?:instructions?|prompts?|rules|directives|guidelines|guardrails|programming|restrictions|constraints)`;
// 中文: 忽略/无视/忘记 + 之前/上面/所有… + 指令/提示词/规则/设定/限制. "忽略我之前的要求" is a
// customer changing their mind, not an attack: 我 and 要求 are not part of the pattern.
const ZH_IGNORE = '(?:忽略|无视|忘记|忘掉|不要理会|别管|跳过|绕过)';
const ZH_EARLIER = '(?:之前|以前|先前|以上|上面|上述|前面|所有|全部|一切|原来|原有|原始|系统)';
const ZH_INSTRUCTIONS = '(?:指令|指示|提示词|提示语|规则|设定|限制|约束)';

const PATTERNS: Array<{ rule: string; pattern: RegExp }> = [
  {
    rule: 'injection.ignore_instructions',
    // Needs "all"/"your"/"previous"…: "ignore the rules" alone is a customer asking for an exception.
    pattern: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|override|bypass)\s+(?:${DETERMINER}\s+){0,3}(?:(?:all|any|your|${EARLIER})\s+)(?:${DETERMINER}\s+|${EARLIER}\s+){0,3}${INSTRUCTIONS}\b`,
      'g',
    ),
  },
  {
    rule: 'injection.ignore_instructions',
    pattern: /\bforget\s+(?:everything|all)\s+(?:you\s+(?:were|have\s+been)\s+told|above|before)\b/g,
  },
  {
    rule: 'injection.ignore_instructions',
    pattern: new RegExp(`${ZH_IGNORE}(?:掉)?(?:你的|你)?${ZH_EARLIER}(?:的)?(?:所有|全部|一切)?(?:的)?${ZH_INSTRUCTIONS}`, 'g'),
  },
  {
    rule: 'injection.reveal_prompt',
    // Not "original instructions": customers ask for the ones that came with a product.
    pattern:
      /\b(?:reveal|show|print|display|repeat|output|tell\s+me|give\s+me|leak|dump|what\s+(?:is|are|was|were)|what's)\b[^.!?\n]{0,30}?\b(?:(?:system|hidden|secret|developer)\s+(?:prompt|instructions?)|(?:initial|original|your)\s+prompt)s?\b/g,
  },
  { rule: 'injection.reveal_prompt', pattern: /\brepeat\s+(?:the\s+)?(?:words|text|everything)\s+above\b/g },
  {
    rule: 'injection.reveal_prompt',
    pattern:
      /(?:告诉我|说出|显示|输出|打印|泄露|透露|重复|给我看|展示|列出)(?:一下)?(?:你的)?(?:系统提示词?|系统指令|初始指令|原始指令|提示词|系统设定|system\s*prompt)/g,
  },
  { rule: 'injection.reveal_prompt', pattern: /你的(?:系统)?(?:提示词|系统指令|初始指令)是什么/g },
  {
    rule: 'injection.jailbreak',
    pattern:
      /\b(?:you\s+are|you're|act\s+as|pretend\s+(?:to\s+be|you\s+are)|roleplay\s+as)\s+(?:now\s+)?(?:an?\s+)?(?:dan|jailbroken|(?:unrestricted|unfiltered|uncensored)\s+(?:ai|assistant|model|chatbot))\b/g,
  },
  { rule: 'injection.jailbreak', pattern: /\bdo\s+anything\s+now\b|\b(?:jailbreak|god|dan|unrestricted|unfiltered)\s+mode\b/g },
  // "Developer mode" is a phone setting customers ask about; only the jailbreak phrasings count.
  {
    rule: 'injection.jailbreak',
    pattern:
      /\byou(?:'re|\s+are)\s+(?:now\s+)?(?:in|running\s+in|operating\s+in)\s+(?:developer|debug)\s+mode\b|\bwith\s+developer\s+mode\s+enabled\b/g,
  },
  {
    rule: 'injection.jailbreak',
    pattern:
      /(?:越狱|上帝|无限制|无审查)模式|你现在(?:处于|进入|是)(?:开发者|调试)模式|你现在是\s*dan|扮演(?:一个)?(?:没有|不受)(?:任何)?(?:限制|约束|审查)/g,
  },
  {
    rule: 'injection.role_tag',
    // Chat-template markers and role headers that have no place in a customer's message. Blanks
    // before "###" are spaces and tabs only: with `\s*` a run of empty lines was rescanned from
    // every line start (quadratic; 2.5 s on 16,000 newlines).
    pattern:
      /<\|\s*(?:system|assistant|user|im_start|im_end|endoftext)\s*\|>|<\/?(?:system|instructions?)>|<<\/?sys>>|\[\/?(?:inst|sys|system)\]|^[ \t]*#{2,}[ \t]*(?:system|instruction|instructions|assistant)[ \t]*:?/gm,
  },
];

/** Runs on the folded text (NFKC, lower case), so full-width or upper-case spellings count too. */
export function detectInjection(text: FoldedText): InjectionFinding[] {
  const findings: InjectionFinding[] = [];
  for (const { rule, pattern } of PATTERNS) {
    for (const match of text.folded.matchAll(pattern)) {
      const from = match.index ?? 0;
      const to = from + match[0].length;
      if (to === from) continue;
      findings.push({ rule, start: text.foldedStart[from], end: text.foldedEnd[to - 1] });
    }
  }
  return findings;
}
