// What the customer sees instead of a blocked message or reply: calm, short, in their language.
import { isHan } from '../matching/text-folding';

export type Language = 'en' | 'zh';

/** Which situation a safe reply answers. */
export type ReplyKind = 'abuse' | 'content' | 'injection' | 'support' | 'handoff' | 'output';

const REPLIES: Record<ReplyKind, Record<Language, string>> = {
  abuse: {
    en: "I want to help, and I'll do my best. Could you tell me what went wrong with your order or account?",
    zh: '我很想帮您解决问题。能告诉我您的订单或账户遇到了什么情况吗？',
  },
  content: {
    en: "I can't help with that. I'm happy to help with your orders, your account or our services.",
    zh: '抱歉，这个我无法协助。如果您有订单、账户或服务方面的问题，我很乐意帮忙。',
  },
  injection: {
    en: 'I can only help with questions about your orders, your account and our services. What can I do for you?',
    zh: '我只能协助处理订单、账户和服务相关的问题。请问有什么可以帮您？',
  },
  support: {
    en: "I'm really sorry you're going through this. I'm connecting you with a member of our team now. If you are in danger, please call your local emergency number.",
    zh: '很抱歉您现在这么难受。我正在为您转接人工客服。如果您有危险，请立即拨打当地的紧急求助电话。',
  },
  handoff: {
    en: "I'm bringing in a member of our team to help you with this. They'll be with you shortly.",
    zh: '我正在为您转接人工客服，请稍候。',
  },
  output: {
    en: "I'm sorry, I can't share that here. A member of our team can help you with it.",
    zh: '抱歉，这部分内容我无法在这里提供。我们的客服同事可以帮您处理。',
  },
};

export function safeReply(kind: ReplyKind, language: Language): string {
  return REPLIES[kind][language];
}

/** Chinese when Han characters are at least a third as many as Latin letters ("订单 #W2378156 呢"). */
export function languageOf(text: string): Language {
  let han = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (isHan(code)) han += 1;
    else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) latin += 1;
  }
  return han > 0 && han * 3 >= latin ? 'zh' : 'en';
}
