/**
 * The calendar of a coordinator–bureau meeting series, on calendar dates (YYYY-MM-DD) in Paris:
 * weekly, every two weeks, or monthly on the same weekday of the month as the first meeting
 * ("the 2nd Tuesday"; a first meeting in the month's fifth week means "the last Tuesday").
 */
import { addDays, daysBetween } from '../onboarding/dates.js';

export const FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export type Recurrence = { frequency: Frequency; weekday: number; firstDate: string };

const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The first date on or after `date` that falls on `weekday`. */
export function onOrAfterWeekday(date: string, weekday: number): string {
  return addDays(date, (weekday - isoWeekday(date) + 7) % 7);
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1..4, or -1 for "the last" when the first meeting is in the month's fifth week. */
export function weekOfMonth(date: string): number {
  const n = Math.ceil(Number(date.slice(8, 10)) / 7);
  return n >= 5 ? -1 : n;
}

function monthlyIn(year: number, month: number, weekday: number, n: number): string {
  const pad = (v: number) => String(v).padStart(2, '0');
  if (n > 0) {
    const first = onOrAfterWeekday(`${year}-${pad(month)}-01`, weekday);
    return addDays(first, (n - 1) * 7);
  }
  const last = `${year}-${pad(month)}-${pad(lastDayOfMonth(year, month))}`;
  return addDays(last, -((isoWeekday(last) - weekday + 7) % 7));
}

/** The meetings' dates from `from` to `to` (both included), at most `limit`. */
export function occurrences(rec: Recurrence, from: string, to: string, limit = 500): string[] {
  const out: string[] = [];
  if (rec.frequency === 'monthly') {
    const n = weekOfMonth(rec.firstDate);
    let year = Number(rec.firstDate.slice(0, 4));
    let month = Number(rec.firstDate.slice(5, 7));
    for (let i = 0; out.length < limit && i < 1200; i++) {
      const date = monthlyIn(year, month, rec.weekday, n);
      if (date > to) break;
      if (date >= from && date >= rec.firstDate) out.push(date);
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
    return out;
  }
  const step = rec.frequency === 'weekly' ? 7 : 14;
  const skip = from > rec.firstDate ? Math.ceil(daysBetween(rec.firstDate, from) / step) : 0;
  for (let date = addDays(rec.firstDate, skip * step); date <= to && out.length < limit; date = addDays(date, step)) out.push(date);
  return out;
}

export function isOccurrence(rec: Recurrence, date: string): boolean {
  return occurrences(rec, date, date, 1).length === 1;
}

/** The first meeting on or after a day (searching up to two months ahead). */
export function nextOccurrenceFrom(rec: Recurrence, day: string): string | undefined {
  return occurrences(rec, day, addDays(day, 62), 1)[0];
}

/** The last meetings strictly before a day, most recent first. */
export function previousOccurrences(rec: Recurrence, day: string, count: number): string[] {
  const all = occurrences(rec, rec.firstDate, addDays(day, -1));
  return all.slice(-count).reverse();
}

/** RFC 5545 RRULE value for the series. */
export function rrule(rec: Recurrence): string {
  const day = ICAL_DAYS[rec.weekday - 1];
  if (rec.frequency === 'weekly') return `FREQ=WEEKLY;BYDAY=${day}`;
  if (rec.frequency === 'biweekly') return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`;
  return `FREQ=MONTHLY;BYDAY=${weekOfMonth(rec.firstDate)}${day}`;
}
