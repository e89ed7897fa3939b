import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Direction } from '@switchboard/contracts';
import { createLogger } from '@switchboard/logging';
import { Writable } from 'node:stream';
import { foldText } from '../matching/text-folding';
import { BuiltInLists } from './built-in-lists';
import { HOUBB_DIR, KONSHENG_DIR, readSharedLists } from './shared-lists';

// A miniature copy of the shared folder's layout and formats.
function fixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'moderation-lists-'));
  mkdirSync(path.join(dir, HOUBB_DIR), { recursive: true });
  mkdirSync(path.join(dir, KONSHENG_DIR), { recursive: true });
  writeFileSync(
    path.join(dir, HOUBB_DIR, 'sensitive_word_tags.txt'),
    ['成人电影网 2', '卖冰毒啦 1,4', '妈妈 2', '出售假证 4', '买手机 4', '某某政要 0', 'bad line'].join('\n'),
  );
  writeFileSync(path.join(dir, HOUBB_DIR, 'sensitive_word_allow.txt'), '生日快乐\n');
  writeFileSync(path.join(dir, KONSHENG_DIR, '涉枪涉爆.txt'), '出售雷管,气枪子弹\n炸药\n');
  writeFileSync(path.join(dir, KONSHENG_DIR, '零时-Tencent.txt'), 'item\nis\n');
  return dir;
}

describe('readSharedLists', () => {
  let dir: string;
  beforeAll(() => (dir = fixture()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the categorised lists, most specific tag first, skipping short entries and uncategorised files', () => {
    const lists = readSharedLists(dir)!;
    expect(lists.words).toEqual([
      { word: '成人电影网', category: 'porn' },
      { word: '卖冰毒啦', category: 'drugs' },
      { word: '出售假证', category: 'crime' },
      { word: '某某政要', category: 'politics' },
      { word: '出售雷管', category: 'weapons' },
      { word: '气枪子弹', category: 'weapons' },
    ]);
    expect(lists.allow).toEqual(['生日快乐']);
    expect(lists.missing).toEqual(expect.arrayContaining([path.join(KONSHENG_DIR, '色情词库.txt')]));
  });

  it('returns nothing for a missing folder', () => {
    expect(readSharedLists(path.join(dir, 'nope'))).toBeUndefined();
  });
});

describe('BuiltInLists.load', () => {
  const captured: string[] = [];
  const log = createLogger('test', 'info', new Writable({ write: (chunk, _e, done) => (captured.push(String(chunk)), done()) }));

  it('warns and runs with the seed lists when the folder is missing', () => {
    const lists = BuiltInLists.load('/nonexistent/moderation', log);
    expect(captured.join('')).toMatch(
      /moderation word lists not found; running with the small built-in seed lists only\. Set MODERATION_LISTS_DIR/,
    );
    expect(lists.find(foldText('this is bullshit'), Direction.INPUT, []).map((m) => m.category)).toEqual(['abuse']);
  });
});
