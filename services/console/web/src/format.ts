// Small display helpers shared by the screens.
import { useCallback } from 'react';
import { useLang, type Lang, type TextKey } from './i18n';

/**
 * SLA colour: red once due, orange within 30 minutes, yellow within two hours. Shades dark enough
 * for white badge text (black on yellow, by the badges' autoContrast) to reach WCAG AA's 4.5:1;
 * Mantine's own green.9 reaches only about 4.4:1 at badge size.
 */
export const SHADES = { red: '#b71c1c', orange: '#a84300', yellow: '#ffd43b', green: '#1b5e20', grey: '#495057' };

/** A resolved or closed ticket's SLA clock has stopped: it shows no countdown and cannot turn overdue. */
export const slaRuns = (status: string) => status !== 'resolved' && status !== 'closed';

export function dueColour(dueAt: string, now: number): string {
  const minutes = (Date.parse(dueAt) - now) / 60_000;
  if (minutes <= 0) return SHADES.red;
  if (minutes <= 30) return SHADES.orange;
  if (minutes <= 120) return SHADES.yellow;
  return SHADES.green;
}

export function dueText(dueAt: string, now: number, t: (key: TextKey, vars?: Record<string, string | number>) => string): string {
  const minutes = Math.round((Date.parse(dueAt) - now) / 60_000);
  return minutes <= 0 ? `${t('overdue')} · ${t('minutesAgo', { n: -minutes })}` : t('inMinutes', { n: minutes });
}

export const priorityColour: Record<string, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'gray' };

/** The locale the chosen UI language writes dates and times in (not the browser's). */
export const localeOf = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-US');

/** A clock time ("02:05 PM", "14:05") as the chosen UI language writes it; '' for none. */
export const timeIn = (lang: Lang, at: string | Date) =>
  at ? new Date(at).toLocaleTimeString(localeOf(lang), { hour: '2-digit', minute: '2-digit' }) : '';

/** `timeIn` for the chosen UI language, for screens that show times. */
export function useTime() {
  const { lang } = useLang();
  return useCallback((at: string | Date) => timeIn(lang, at), [lang]);
}

/** A day as the analytics service counts them, `offset` days from today, in `timeZone` (YYYY-MM-DD). */
export function zonedDay(offset: number, timeZone: string): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}
