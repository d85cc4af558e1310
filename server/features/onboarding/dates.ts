/**
 * Calendar dates (YYYY-MM-DD) for onboarding plans. A due date is a day, not an instant:
 * computed in UTC arithmetic on the date alone so no time zone or DST shift moves it.
 */
import { nextWorkingDay } from './holidays.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function toUtc(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/**
 * The due date of a step: start date + offset (negative offsets fall before the start), moved
 * to the next working day when it falls on a weekend or a French public holiday.
 */
export function dueDate(startDate: string, offsetDays: number): string {
  return nextWorkingDay(addDays(startDate, offsetDays));
}

/**
 * A due date written relatively, as a key and its number of days: "today", "in 3 days",
 * "overdue by 7 days".
 */
export function relativeDue(due: string, today: string): { key: 'today' | 'tomorrow' | 'in' | 'yesterday' | 'late'; days: number } {
  const days = daysBetween(today, due);
  if (days === 0) return { key: 'today', days: 0 };
  if (days === 1) return { key: 'tomorrow', days: 1 };
  if (days > 1) return { key: 'in', days };
  if (days === -1) return { key: 'yesterday', days: 1 };
  return { key: 'late', days: -days };
}

/**
 * The next occurrence of a recurring step on or after `today`: the first due date, then every
 * `everyDays` days. Before the first due date, the first due date itself.
 */
export function nextOccurrence(firstDue: string, everyDays: number, today: string): string {
  if (everyDays <= 0) throw new RangeError('everyDays must be positive');
  const gap = daysBetween(firstDue, today);
  if (gap <= 0) return firstDue;
  return addDays(firstDue, Math.ceil(gap / everyDays) * everyDays);
}

/** Today's calendar date in Paris, where every CPTS of the product is. */
export { parisDay as todayInParis } from '../../core/i18n.js';

/** Start dates further than this from today are accepted with a warning. */
export const FAR_START_DAYS = 180;

export function isFarFrom(startDate: string, today: string): boolean {
  return Math.abs(daysBetween(today, startDate)) > FAR_START_DAYS;
}
