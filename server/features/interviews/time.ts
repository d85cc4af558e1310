/** Europe/Paris wall-clock time <-> UTC instants (interviews are chosen and shown in Paris time). */

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The Paris calendar date and time of an instant: { date: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function utcToParis(instant: Date): { date: string; time: string } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

function offsetMinutes(utcMs: number): number {
  const { date, time } = utcToParis(new Date(utcMs));
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  return Math.round((Date.UTC(y, m - 1, d, h, min) - utcMs) / 60_000);
}

/**
 * "2026-03-29" + "14:30" in Paris -> the UTC instant. Undefined for a date that does not exist
 * or for a wall time skipped by the spring change (02:00-02:59 on the last Sunday of March).
 * In the autumn's repeated hour the first (summer time) instant is taken.
 */
export function parisToUtc(date: string, time: string): Date | undefined {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2})$/.exec(time);
  if (!dm || !tm) return undefined;
  const [y, m, d, h, min] = [Number(dm[1]), Number(dm[2]), Number(dm[3]), Number(tm[1]), Number(tm[2])];
  if (h > 23 || min > 59) return undefined;
  const naive = Date.UTC(y, m - 1, d, h, min);
  const check = new Date(naive);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  // Try both offsets Paris uses (+2 summer, +1 winter), summer first for the repeated hour.
  for (const offset of [120, 60]) {
    const utc = naive - offset * 60_000;
    if (offsetMinutes(utc) === offset) return new Date(utc);
  }
  return undefined;
}
