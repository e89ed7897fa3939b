import { Writable } from 'node:stream';
import { createLogger } from '@switchboard/logging';
import { RepeatingTask } from './repeating-task';

const lines: string[] = [];
const log = createLogger('test', 'warn', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));

describe('RepeatingTask', () => {
  it('joins a round under way instead of starting a second, and logs a failed round without throwing', async () => {
    let calls = 0;
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const task = new RepeatingTask('test round', () => ((calls += 1), calls === 1 ? gate : Promise.resolve()), log);
    const first = task.run();
    const second = task.run();
    expect(calls).toBe(1);
    finish();
    await Promise.all([first, second]);
    await task.run();
    expect(calls).toBe(2);

    const failing = new RepeatingTask('failing round', () => Promise.reject(new Error('database away')), log);
    await expect(failing.run()).resolves.toBeUndefined();
    expect(lines.join('')).toContain('failing round failed; the next round tries again');
  });

  it('runs on its timer, the first at once when asked, and no more once stopped', async () => {
    jest.useFakeTimers();
    try {
      let calls = 0;
      const task = new RepeatingTask('timed round', async () => void (calls += 1), log);
      task.start(20, { now: true });
      expect(calls).toBe(1);
      await jest.advanceTimersByTimeAsync(60);
      expect(calls).toBe(4);
      await task.stop();
      await jest.advanceTimersByTimeAsync(100);
      expect(calls).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });
});
