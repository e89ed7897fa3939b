// Calendar days in a tenant's time zone, with the runtime's IANA data (Intl): the periods a KPI
// query names are the tenant's days, so they start at the tenant's midnight, not UTC's.

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at `instant`, read as if it were UTC (ms). */
function wallClockMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    wallClock(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** The calendar date ("YYYY-MM-DD") in `timeZone` at `instant`. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** The instant `day` ("YYYY-MM-DD") begins in `timeZone`: its local midnight. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const midnightAsUtc = Date.parse(`${day}T00:00:00Z`);
  // The zone's offset at a first guess, then at the answer itself (they differ across a DST change).
  const first = midnightAsUtc - (wallClockMs(midnightAsUtc, timeZone) - midnightAsUtc);
  return new Date(midnightAsUtc - (wallClockMs(first, timeZone) - first));
}
