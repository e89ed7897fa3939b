// How long a ticket of each priority may wait for a first response (TICKET_SLA_MINUTES).
import type { Priority } from './routing-rules';
import { PRIORITIES } from './routing-rules';

export type SlaMinutes = Record<Priority, number>;

export const DEFAULT_SLA = 'urgent=15,high=60,normal=240,low=1440';

/** Parses "urgent=15,high=60,normal=240,low=1440"; every priority must be given. */
export function parseSlaMinutes(text: string): SlaMinutes {
  const minutes: Partial<SlaMinutes> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=').map((p) => p.trim());
    const count = Number(value);
    if (!(PRIORITIES as readonly string[]).includes(name)) throw new Error(`"${name}" is not a priority; use ${PRIORITIES.join(', ')}`);
    if (!Number.isInteger(count) || count <= 0) throw new Error(`${name} must be a whole number of minutes above 0; got "${value}"`);
    minutes[name as Priority] = count;
  }
  const missing = PRIORITIES.filter((p) => minutes[p] === undefined);
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}; e.g. ${DEFAULT_SLA}`);
  return minutes as SlaMinutes;
}

export function dueAt(priority: Priority, openedAt: Date, sla: SlaMinutes): Date {
  return new Date(openedAt.getTime() + sla[priority] * 60_000);
}
