// Reading the survey out of a chat message, in English and Chinese: ratings with and without a
// comment, and the messages that look like one but are not (those are ordinary turns).
import { closesConversation, onlyThanks, ratingIn } from './survey-replies';

describe('ratingIn', () => {
  it.each([
    ['5', 5, ''],
    [' 4 ', 4, ''],
    ['4 - quick and kind', 4, 'quick and kind'],
    ['3, the answer took a while', 3, 'the answer took a while'],
    ['2/5', 2, ''],
    ['5 stars great service', 5, 'great service'],
    ['4 out of 5. Helpful', 4, 'Helpful'],
    ['Five!', 5, ''],
    ["I'd give it 4", 4, ''],
    ['I would rate you 5 - thanks!', 5, 'thanks!'],
    ['１', 1, ''], // full-width digit from a Chinese keyboard
    ['五星', 5, ''],
    ['3分', 3, ''],
    ['4分，回复很快', 4, '回复很快'],
    ['给你们五星！', 5, ''],
    ['打2分 太慢了', 2, '太慢了'],
    ['两颗星', 2, ''],
  ])('%j is a rating of %i', (text, rating, comment) => {
    expect(ratingIn(text)).toEqual({ rating, comment });
  });

  it.each([
    '0',
    '6',
    '10',
    '4.5',
    '5 items are missing',
    'one more question',
    'Where is my order #W1234567?',
    '3分钟前下的单',
    '六星',
    'thanks',
    '',
  ])('%j is not a rating', (text) => {
    expect(ratingIn(text)).toBeUndefined();
  });
});

describe('closesConversation', () => {
  it.each([
    "Thanks, that's all",
    'thank you, bye!',
    'No thanks, I’m good.',
    'ok that is all',
    'Great, nothing else. Have a nice day',
    '谢谢，没有了',
    '好的，就这些，谢谢！',
    '没有了，再见',
    '多谢 拜拜',
    "Thank you, that's all I needed.",
    'No thanks, I was only asking.',
    "Ah, okay. Never mind then, I'll leave it.",
    "Great, thank you. That's all for today.",
    "thanks, that's everything",
    'Wonderful, thank you very much. Goodbye!',
    'no thx',
    'ok thx, thats all',
    'That was all I needed, thank you!',
    'Thanks, that covers it.',
    '好的，谢谢，没别的事了',
    "Much appreciated. That's it for me, have a good day!",
    'Fantastic, thanks for your help. Bye!',
  ])('%j closes the conversation', (text) => {
    expect(closesConversation(text)).toBe(true);
  });

  it.each([
    'thanks',
    'ok',
    '谢谢',
    "Thanks, but that's not my order",
    'thanks, where is my order?',
    'no, I want to cancel it',
    'bye the way, can I return it?',
    '谢谢，还有一个问题',
    '没有收到货',
    '',
  ])('%j does not', (text) => {
    expect(closesConversation(text)).toBe(false);
  });
});

describe('onlyThanks', () => {
  it.each([
    'Thank you!',
    'ok, thanks',
    '好的，谢谢！',
    '谢谢',
    "thanks, that's all",
    'thx!!',
    'Thanks for your help.',
    '太好了，太感谢了！',
  ])('%j thanks', (text) => {
    expect(onlyThanks(text)).toBe(true);
  });

  it.each(['ok', 'great', '好的', 'no', 'thanks, where is my order?', 'Thanks. Is the toothbrush order cancelled too?', ''])(
    '%j does not only thank',
    (text) => {
      expect(onlyThanks(text)).toBe(false);
    },
  );
});
