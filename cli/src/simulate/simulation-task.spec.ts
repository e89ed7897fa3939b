import { figuresPerIntent } from './pass-k';
import { answerTo, parseTasks, TaskFileError } from './simulation-task';

const task = {
  id: 'return-one',
  intent: 'return_item',
  userId: 'omar_lopez_3107',
  opening: ['I want to return the pet bed from order #W7273336'],
  replies: [
    { when: 'yes or no', say: ['yes', 'yes please'] },
    { when: 'email', say: ['omar.lopez1868@example.com'] },
  ],
  expected: [
    {
      operation: 'return_delivered_order_items',
      arguments: { order_id: '#W7273336', item_ids: ['6857426243'], payment_method_id: 'paypal_1530316' },
    },
  ],
};

describe('simulation tasks', () => {
  it('reads a task file and answers the bot with the first matching rule, varying the phrasing per trial', () => {
    const [parsed] = parseTasks(JSON.stringify([task]));
    expect(parsed.language).toBe('en');
    expect(answerTo(parsed, 'Shall I go ahead? Please reply yes or no.', 0)).toBe('yes');
    expect(answerTo(parsed, 'Shall I go ahead? Please reply yes or no.', 1)).toBe('yes please');
    expect(answerTo(parsed, 'Done. Order #W7273336 is now return requested.', 0)).toBeUndefined();
  });

  it('names the field of a bad task', () => {
    const bad = (change: Record<string, unknown>) => () => parseTasks(JSON.stringify([{ ...task, ...change }]));
    expect(bad({ opening: [] })).toThrow(new TaskFileError('tasks[0].opening: must be a non-empty list of non-empty strings'));
    expect(bad({ replies: [{ when: '(', say: ['x'] }] })).toThrow(/tasks\[0\]\.replies\[0\]\.when: not a regular expression/);
    expect(bad({ expected: [{ operation: 'x' }] })).toThrow('tasks[0].expected[0].arguments: must be an object');
    expect(bad({ language: 'fr' })).toThrow('tasks[0].language: must be "en" or "zh"');
    expect(() => parseTasks(JSON.stringify([task, task]))).toThrow('tasks[1].id: "return-one" is used twice');
    expect(() => parseTasks('nope')).toThrow(/task file: not JSON/);
  });
});

describe('pass^k', () => {
  it('counts a task for pass^k only when all k trials pass', () => {
    const results = [
      { taskId: 'a', intent: 'return_item', trial: 0, passed: true },
      { taskId: 'a', intent: 'return_item', trial: 1, passed: true },
      { taskId: 'b', intent: 'return_item', trial: 0, passed: true },
      { taskId: 'b', intent: 'return_item', trial: 1, passed: false },
      { taskId: 'c', intent: 'cancel_order', trial: 0, passed: false },
      { taskId: 'c', intent: 'cancel_order', trial: 1, passed: false },
    ];
    expect(figuresPerIntent(results, 2)).toEqual([
      { intent: 'cancel_order', tasks: 1, trials: 2, passAt1: 0, passAtK: 0 },
      { intent: 'return_item', tasks: 2, trials: 4, passAt1: 0.75, passAtK: 0.5 },
      { intent: 'all', tasks: 3, trials: 6, passAt1: 0.5, passAtK: 1 / 3 },
    ]);
  });
});
