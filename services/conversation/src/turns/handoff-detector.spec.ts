import { asksForHuman } from './handoff-detector';

describe('asksForHuman', () => {
  it.each([
    'Can I talk to a human please?',
    'I want to speak with a real person',
    'connect me to an agent',
    'live agent',
    '我要转人工',
    '请帮我找人工客服',
  ])('recognises "%s"', (text) => expect(asksForHuman(text)).toBe(true));

  it.each(['How do I return an item?', 'Is the agent policy about exchanges the same for gift cards?', 'My husband placed the order'])(
    'leaves "%s" to the bot',
    (text) => expect(asksForHuman(text)).toBe(false),
  );
});
