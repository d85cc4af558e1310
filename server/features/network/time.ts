/** Paris wall-clock time <-> UTC instants, for events entered and shown in local time. */
function parisOffsetMinutes(utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - utcMs) / 60_000);
}

/** "2026-03-12" + "14:30" in Paris -> the UTC instant; undefined for an impossible date. */
export function parisToUtc(date: string, time: string): Date | undefined {
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  const naive = Date.UTC(y, m - 1, d, h, min);
  const check = new Date(naive);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  // Two passes settle the offset across a DST change.
  let utc = naive - parisOffsetMinutes(naive) * 60_000;
  utc = naive - parisOffsetMinutes(utc) * 60_000;
  return new Date(utc);
}

/** A UTC instant as Paris wall-clock date ("2026-03-12") and time ("14:30"). */
export function utcToParis(instant: Date): { date: string; time: string } {
  const local = new Date(instant.getTime() + parisOffsetMinutes(instant.getTime()) * 60_000);
  const iso = local.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
