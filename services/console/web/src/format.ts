// Small display helpers shared by the screens.
import type { TextKey } from './i18n';

/**
 * SLA colour: red once due, orange within 30 minutes, yellow within two hours. Shades dark enough
 * for white badge text (black on yellow, by the badges' autoContrast) to reach WCAG AA's 4.5:1;
 * Mantine's own green.9 reaches only about 4.4:1 at badge size.
 */
export const SHADES = { red: '#b71c1c', orange: '#a84300', yellow: '#ffd43b', green: '#1b5e20', grey: '#495057' };

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

export const time = (iso: string) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');

/** A day as the analytics service counts them, `offset` days from today, in `timeZone` (YYYY-MM-DD). */
export function zonedDay(offset: number, timeZone: string): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}
