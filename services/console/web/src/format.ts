// Small display helpers shared by the screens.
import type { TextKey } from './i18n';

/**
 * SLA colour: red once due, orange within 30 minutes, yellow within two hours. Dark shades (and
 * black text on yellow, by the badges' autoContrast) keep the text readable: WCAG AA contrast.
 */
export function dueColour(dueAt: string, now: number): string {
  const minutes = (Date.parse(dueAt) - now) / 60_000;
  if (minutes <= 0) return 'red.9';
  if (minutes <= 30) return 'orange.9';
  if (minutes <= 120) return 'yellow.4';
  return 'green.9';
}

export function dueText(dueAt: string, now: number, t: (key: TextKey, vars?: Record<string, string | number>) => string): string {
  const minutes = Math.round((Date.parse(dueAt) - now) / 60_000);
  return minutes <= 0 ? `${t('overdue')} · ${t('minutesAgo', { n: -minutes })}` : t('inMinutes', { n: minutes });
}

export const priorityColour: Record<string, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'gray' };

export const time = (iso: string) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');
