#!/usr/bin/env node
// Builds the evaluation sets that come from shared data (which stays in ../shared/data and is
// never copied into the repository) into a directory of CSV files for `switchboard kb eval`:
//
//   banking77-faq-en.csv                 77 FAQs (one per BANKING77 intent): 3 customer phrasings each,
//                                        the first as the question and answer, the other two as alternatives
//   banking77-queries-tuning-en.csv      10 other phrasings per intent (770)  -- may be tuned on
//   banking77-queries-heldout-en.csv     20 other phrasings per intent (1540) -- FROZEN, never tuned on
//   large-faq-zh.csv                     telecom-faq-zh.csv's questions (question-only) plus 11,760
//                                        synthetic question-only distractor FAQs (consumer finance and shopping), for the
//                                        10k+ scale check with telecom-queries-*.csv
//
// The split is fixed by a hash of each phrasing (no random seed to forget): within an intent,
// phrasings are ordered by sha256(text) and cut 3 / 10 / 20.
//
// Usage: node eval/unseen/build-sets.mjs <out dir> [--data ../shared/data]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'Usage: node eval/unseen/build-sets.mjs <out dir> [--data <shared data dir>]\n' +
      'Writes the BANKING77 FAQ split and the 10k+ Chinese scale set as CSV files into <out dir>.\n',
  );
  process.exit(args.length === 0 ? 1 : 0);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const out = args[0];
const dataAt = args.indexOf('--data');
const data = dataAt >= 0 ? args[dataAt + 1] : path.join(here, '../../../shared/data');
mkdirSync(out, { recursive: true });

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
const cell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const write = (name, header, rows) =>
  writeFileSync(path.join(out, name), [header, ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n');
const hash = (s) => createHash('sha256').update(s).digest('hex');

// --- BANKING77 -------------------------------------------------------------------------------
const [, ...bankingRows] = parseCsv(readFileSync(path.join(data, 'banking77/train.csv'), 'utf8'));
const byIntent = new Map();
for (const [text, intent] of bankingRows) {
  if (!text || !intent) continue;
  const t = text.trim();
  if (!byIntent.has(intent)) byIntent.set(intent, new Map());
  byIntent.get(intent).set(t.toLowerCase(), t); // exact repeats (case aside) count once
}
const faqs = [];
const tuning = [];
const heldout = [];
for (const [intent, phrasings] of [...byIntent].sort(([a], [b]) => a.localeCompare(b))) {
  const ordered = [...phrasings.values()].sort((a, b) => hash(a).localeCompare(hash(b)));
  const [question, ...alts] = ordered.slice(0, 3);
  faqs.push([intent, question, question, alts.join('|')]);
  for (const q of ordered.slice(3, 13)) tuning.push([q, intent]);
  for (const q of ordered.slice(13, 33)) heldout.push([q, intent]);
}
write('banking77-faq-en.csv', 'faq_id,question,answer,alt_questions', faqs);
write('banking77-queries-tuning-en.csv', 'query,expected', tuning);
write('banking77-queries-heldout-en.csv', 'query,expected', heldout);

// --- 10k+ Chinese scale set -------------------------------------------------------------------
// Real FAQs of one domain (telecom) hidden among synthetic question-only FAQs of neighbouring
// domains: subject x action x context, every combination a distinct question.
const subjects = [
  '信用卡',
  '借记卡',
  '储蓄卡',
  '花呗',
  '借呗',
  '白条',
  '分期付款',
  '个人贷款',
  '房贷',
  '车贷',
  '公积金贷款',
  '理财产品',
  '基金定投',
  '余额宝',
  '零钱通',
  '定期存款',
  '大额存单',
  '保险理赔',
  '医疗险',
  '车险',
  '退休金',
  '社保卡',
  '数字人民币',
  '外汇兑换',
  '跨境汇款',
  '网银',
  '手机银行',
  '支付密码',
  '指纹支付',
  '刷脸支付',
  '免密支付',
  '自动扣款',
  '账单分期',
  '最低还款',
  '逾期记录',
  '征信报告',
  '信用额度',
  '临时额度',
  '年费',
  '积分商城',
  '优惠券',
  '会员卡',
  '购物车',
  '订单',
  '退货',
  '换货',
  '快递',
  '外卖',
  '电影票',
  '机票',
  '火车票',
  '酒店预订',
  '电费',
  '水费',
  '燃气费',
  '物业费',
  '学费',
  '红包',
  '转账',
  '收款码',
  '商家收款',
  '提现',
  '充值卡',
  '礼品卡',
  '发票',
  '实名认证',
  '银行卡绑定',
  '账户冻结',
  '登录密码',
];
const actions = [
  '怎么开通',
  '如何取消',
  '为什么失败了',
  '多久到账',
  '能不能修改',
  '手续费是多少',
  '有什么限制',
  '怎么查询记录',
  '需要什么材料',
  '在哪里申请',
  '被拒绝是什么原因',
  '可以提前结清吗',
  '利息怎么算',
  '额度怎么提高',
  '能退款吗',
  '可以转给别人吗',
  '过期了怎么办',
  '显示异常怎么处理',
  '怎么关闭提醒',
  '每天最多多少',
  '安全吗',
  '怎么解绑',
  '能用在哪些地方',
  '怎么联系人工',
  '会影响征信吗',
  '扣款顺序是什么',
  '有没有优惠活动',
  '上限是多少',
  '周末能办理吗',
  '怎么投诉',
];
const contexts = ['', '在手机上', '在国外', '逾期以后', '第一次用', '已经注销后'];
const synthetic = [];
for (const context of contexts)
  for (const subject of subjects) for (const action of actions) synthetic.push(`${context}${subject}${action}`);
const realZh = parseCsv(readFileSync(path.join(here, 'telecom-faq-zh.csv'), 'utf8'))
  .slice(1)
  .filter((r) => r.length >= 3);
// Question-only like the distractors (the answer repeats the question, no alternatives), so no
// entry is favoured for having more views: the form of a question-only FAQ base.
const large = realZh.map((r) => [r[0], r[1], r[1], '']);
synthetic.slice(0, 11_760).forEach((q, i) => large.push([`syn-${i}`, q, q, '']));
write('large-faq-zh.csv', 'faq_id,question,answer,alt_questions', large);

process.stdout.write(
  `${out}: banking77 ${faqs.length} FAQs, ${tuning.length} tuning and ${heldout.length} held-out queries; large-faq-zh ${large.length} FAQs\n`,
);
