// Recognises a customer asking for a person. Deliberately explicit phrases only: a false positive
// costs an agent's time, a false negative costs one more turn.
const ASKS_FOR_HUMAN = [
  /\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|some\s*one\s*|a\s+real\s+)?(?:human|person|agent|representative|someone|manager|operator)\b/i,
  /\b(?:human|live|real)\s+(?:agent|person|being|support)\b/i,
  /\b(?:connect|transfer|put)\s+me\s+(?:to|with|through)\b/i,
  /\b(?:customer\s+service\s+)?representative\b/i,
  /转人工|人工客服|找人工|真人客服|要人工/,
];

export function asksForHuman(text: string): boolean {
  return ASKS_FOR_HUMAN.some((pattern) => pattern.test(text));
}
