// The time expressions a question may carry, as [from, to) days of the tenant's time zone relative
// to `now` ("today" is the tenant's today). No expression means the last 30 days. Dates below are
// calendar dates, held as UTC midnights for the arithmetic.
import { MAX_PERIOD_DAYS } from '../kpi/kpi-sql';
import { localDate } from '../kpi/zoned-days';
export interface Period {
  from: string;
  to: string;
  /** What was recognised, for the answer's "I understood …". */
  said: string;
}

const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);
const utcDay = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

const EN_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const EN_MONTH_SHORT = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
};

/** 三十 → 30, 十四 → 14, 七 → 7, 2 → 2. */
export function chineseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const digits: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  if (text === '十') return 10;
  const match = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(text);
  if (match) return (match[1] ? digits[match[1]] : 1) * 10 + (match[2] ? digits[match[2]] : 0);
  return text.length === 1 ? digits[text] : undefined;
}

const ZH_NUM = '[0-9零一二两三四五六七八九十]+';

export function parsePeriod(question: string, now: Date, timeZone = 'UTC'): Period {
  const q = question.toLowerCase();
  const [year, month, date] = localDate(now, timeZone).split('-').map(Number);
  const today = utcDay(year, month - 1, date);
  const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);
  // A huge N stops one day past the longest period a query may cover, which validation then refuses
  // by name (instead of an invalid date).
  const lastDays = (n: number, said: string): Period => ({
    from: day(plusDays(today, -(Math.min(n, MAX_PERIOD_DAYS + 1) - 1))),
    to: day(plusDays(today, 1)),
    said,
  });
  // Monday-based weeks.
  const monday = plusDays(today, -((today.getUTCDay() + 6) % 7));
  const monthStart = (offset: number) => utcDay(today.getUTCFullYear(), today.getUTCMonth() + offset, 1);
  const namedMonth = (m: number, said: string): Period => {
    const year = m > today.getUTCMonth() ? today.getUTCFullYear() - 1 : today.getUTCFullYear();
    return { from: day(utcDay(year, m, 1)), to: day(utcDay(year, m + 1, 1)), said };
  };

  let m: RegExpExecArray | null;
  if ((m = /\b(?:last|past|previous)\s+(\d+|[a-z]+)\s+days?\b/.exec(q)) && (/^\d+$/.test(m[1]) || EN_NUMBERS[m[1]])) {
    const n = /^\d+$/.test(m[1]) ? Number(m[1]) : EN_NUMBERS[m[1]];
    if (n >= 1) return lastDays(n, m[0]);
  }
  if ((m = new RegExp(`(?:最近|过去|近)(${ZH_NUM})(?:天|日)`).exec(q))) {
    const n = chineseNumber(m[1]);
    if (n !== undefined && n >= 1) return lastDays(n, m[0]);
  }
  if ((m = /\b(?:last|past|previous)\s+(\d+|[a-z]+)\s+weeks\b/.exec(q)) && (/^\d+$/.test(m[1]) || EN_NUMBERS[m[1]])) {
    return lastDays(7 * (/^\d+$/.test(m[1]) ? Number(m[1]) : EN_NUMBERS[m[1]]), m[0]);
  }
  if ((m = new RegExp(`(?:最近|过去|近)(${ZH_NUM})(?:周|个星期|星期)`).exec(q))) {
    const n = chineseNumber(m[1]);
    if (n !== undefined && n >= 1) return lastDays(7 * n, m[0]);
  }
  if ((m = /\bpast\s+week\b/.exec(q))) return lastDays(7, m[0]);
  if ((m = /\b(?:last|previous)\s+week\b|上周|上个?星期|上个礼拜/.exec(q)))
    return { from: day(plusDays(monday, -7)), to: day(monday), said: m[0] };
  if ((m = /\bthis\s+week\b|本周|这周|这个?星期|本星期/.exec(q))) return { from: day(monday), to: day(plusDays(monday, 7)), said: m[0] };
  if ((m = /\b(?:last|previous)\s+month\b|上个?月/.exec(q))) return { from: day(monthStart(-1)), to: day(monthStart(0)), said: m[0] };
  if ((m = /\bthis\s+month\b|本月|这个?月/.exec(q))) return { from: day(monthStart(0)), to: day(monthStart(1)), said: m[0] };
  if ((m = /\b(?:last|previous)\s+year\b|去年/.exec(q)))
    return { from: `${today.getUTCFullYear() - 1}-01-01`, to: `${today.getUTCFullYear()}-01-01`, said: m[0] };
  if ((m = /\bthis\s+year\b|今年/.exec(q)))
    return { from: `${today.getUTCFullYear()}-01-01`, to: `${today.getUTCFullYear() + 1}-01-01`, said: m[0] };
  if ((m = /\byesterday\b|昨天|昨日/.exec(q))) return { from: day(plusDays(today, -1)), to: day(today), said: m[0] };
  if ((m = /\btoday\b|今天|今日/.exec(q))) return { from: day(today), to: day(plusDays(today, 1)), said: m[0] };
  if ((m = new RegExp(`(${ZH_NUM})月(?:份)?`).exec(q))) {
    const n = chineseNumber(m[1]);
    if (n !== undefined && n >= 1 && n <= 12) return namedMonth(n - 1, m[0]);
  }
  for (let i = 0; i < 12; i += 1) {
    // "may" alone is too often the verb: only "in may" / "may 20xx" / "during may" count.
    const names = i === 4 ? '(?:in|during|for)\\s+may' : `${EN_MONTHS[i]}|${EN_MONTH_SHORT[i]}\\.?(?=\\s|$|\\?|,)`;
    if ((m = new RegExp(`\\b(?:${names})`).exec(q))) return namedMonth(i, m[0]);
  }
  return lastDays(30, '');
}
