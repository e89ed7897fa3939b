// What the bot says when it is not quoting the knowledge base, in the customer's language.
const TEXTS = {
  en: {
    handoff: "Of course. I've asked a member of our support team to take over; they can see this conversation and will reply here.",
    unavailable: "I'm sorry, I'm having trouble looking that up right now. I've passed your message to our support team, who will reply here.",
  },
  zh: {
    handoff: '好的，我已请人工客服接手，他们能看到这段对话，会在这里回复您。',
    unavailable: '抱歉，我暂时无法查询这个问题。我已把您的消息转给人工客服，他们会在这里回复您。',
  },
} as const;

export type ReplyKey = keyof (typeof TEXTS)['en'];

export function languageOf(text: string, locale: string): 'en' | 'zh' {
  if (locale.toLowerCase().startsWith('zh')) return 'zh';
  return /[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en';
}

export function cannedReply(key: ReplyKey, text: string, locale: string): string {
  return TEXTS[languageOf(text, locale)][key];
}
