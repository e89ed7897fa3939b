// Dates in customer messages, resolved to ISO YYYY-MM-DD against a given "now": absolute ones
// ("2024-03-05", "March 5", "5 March 2024", "3月5日") and relative ones ("yesterday",
// "last Monday", "明天", "上周一"). Calendar arithmetic is done in the process's local time zone,
// the zone `now` is read in; a date without a year takes the year of `now`.

export interface DateMatch {
  start: number;
  end: number;
  /** YYYY-MM-DD */
  value: string;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTH = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?`;
const DAY = `(\\d{1,2})(?:st|nd|rd|th)?`;
const YEAR = `(?:,?\\s*(\\d{4}))?`;
const WEEKDAY = `(sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)(?:day)?`;
const ZH_WEEKDAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

interface Rule {
  pattern: RegExp;
  resolve: (match: RegExpExecArray, now: Date) => Date | undefined;
}

const monthIndex = (name: string) => MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().replace('.', '').slice(0, 3)));
const weekdayIndex = (name: string) => WEEKDAYS.findIndex((d) => d.startsWith(name.toLowerCase().slice(0, 3)));
const startOfDay = (now: Date) => new Date(now.getFullYear(), now.getMonth(), now.getDate());
const addDays = (date: Date, days: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);

/** A real calendar date, or undefined for "February 30". */
function calendarDate(year: number, monthZeroBased: number, day: number): Date | undefined {
  const date = new Date(year, monthZeroBased, day);
  return date.getFullYear() === year && date.getMonth() === monthZeroBased && date.getDate() === day ? date : undefined;
}

/** The weekday `target` before today (last) or after it (next), never today itself. */
function nearestWeekday(now: Date, target: number, direction: -1 | 1): Date {
  const today = startOfDay(now);
  let delta = (target - today.getDay()) * direction;
  if (delta <= 0) delta += 7;
  return addDays(today, delta * direction);
}

/** Weekday `target` (0 = Sunday) of the Monday-to-Sunday week `weeks` away from the current one. */
function dayOfWeek(now: Date, target: number, weeks: number): Date {
  const today = startOfDay(now);
  const sinceMonday = (today.getDay() + 6) % 7;
  return addDays(today, -sinceMonday + weeks * 7 + ((target + 6) % 7));
}

const RULES: Rule[] = [
  { pattern: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g, resolve: (m) => calendarDate(Number(m[1]), Number(m[2]) - 1, Number(m[3])) },
  {
    pattern: /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g,
    resolve: (m, now) => calendarDate(m[1] ? Number(m[1]) : now.getFullYear(), Number(m[2]) - 1, Number(m[3])),
  },
  {
    pattern: new RegExp(`\\b${MONTH}\\s+${DAY}\\b${YEAR}`, 'gi'),
    resolve: (m, now) => calendarDate(m[3] ? Number(m[3]) : now.getFullYear(), monthIndex(m[1]), Number(m[2])),
  },
  {
    pattern: new RegExp(`\\b${DAY}(?:\\s+of)?\\s+${MONTH}\\b${YEAR}`, 'gi'),
    resolve: (m, now) => calendarDate(m[3] ? Number(m[3]) : now.getFullYear(), monthIndex(m[2]), Number(m[1])),
  },
  { pattern: /\b(?:the\s+)?day\s+before\s+yesterday\b/gi, resolve: (_, now) => addDays(startOfDay(now), -2) },
  { pattern: /\b(?:the\s+)?day\s+after\s+tomorrow\b/gi, resolve: (_, now) => addDays(startOfDay(now), 2) },
  {
    pattern: /\b(yesterday|today|tonight|tomorrow)\b/gi,
    resolve: (m, now) => addDays(startOfDay(now), { yesterday: -1, today: 0, tonight: 0, tomorrow: 1 }[m[1].toLowerCase()] ?? 0),
  },
  {
    pattern: new RegExp(`\\b(last|next|this)\\s+${WEEKDAY}\\b`, 'gi'),
    resolve: (m, now) => {
      const target = weekdayIndex(m[2]);
      if (m[1].toLowerCase() === 'this') return dayOfWeek(now, target, 0);
      return nearestWeekday(now, target, m[1].toLowerCase() === 'last' ? -1 : 1);
    },
  },
  {
    pattern: /(大前天|前天|昨天|今天|明天|后天|大后天)/g,
    resolve: (m, now) => addDays(startOfDay(now), { 大前天: -3, 前天: -2, 昨天: -1, 今天: 0, 明天: 1, 后天: 2, 大后天: 3 }[m[1]] ?? 0),
  },
  // Chinese counts weeks: 上周一 is the Monday of the previous week, not the last Monday.
  {
    pattern: /(上|下|这|本)个?(?:周|星期|礼拜)([一二三四五六日天])/g,
    resolve: (m, now) => dayOfWeek(now, ZH_WEEKDAY[m[2]], m[1] === '上' ? -1 : m[1] === '下' ? 1 : 0),
  },
];

const iso = (date: Date) =>
  `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** Every date in `text` (already normalised), earlier rules winning where spans overlap. */
export function findDates(text: string, now: Date): DateMatch[] {
  const found: DateMatch[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && f.start < end)) continue;
      const date = rule.resolve(m, now);
      if (date) found.push({ start, end, value: iso(date) });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
