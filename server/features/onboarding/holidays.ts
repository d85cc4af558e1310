/**
 * French public holidays (metropolitan France, Code du travail L3133-1) and working days, on
 * calendar dates (YYYY-MM-DD). Pure: no clock, no time zone.
 */
import { addDays } from './dates.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad(month)}-${pad(day)}`;
}

const cache = new Map<number, Set<string>>();

/** The eleven public holidays of a year: eight fixed dates and three that follow Easter. */
export function publicHolidays(year: number): Set<string> {
  let set = cache.get(year);
  if (!set) {
    const easter = easterSunday(year);
    set = new Set([
      `${year}-01-01`, // Jour de l'an
      addDays(easter, 1), // Lundi de Pâques
      `${year}-05-01`, // Fête du travail
      `${year}-05-08`, // Victoire 1945
      addDays(easter, 39), // Ascension
      addDays(easter, 50), // Lundi de Pentecôte
      `${year}-07-14`, // Fête nationale
      `${year}-08-15`, // Assomption
      `${year}-11-01`, // Toussaint
      `${year}-11-11`, // Armistice
      `${year}-12-25`, // Noël
    ]);
    cache.set(year, set);
  }
  return set;
}

export function isPublicHoliday(date: string): boolean {
  return publicHolidays(Number(date.slice(0, 4))).has(date);
}

export function isWeekend(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 || day === 6;
}

export function isWorkingDay(date: string): boolean {
  return !isWeekend(date) && !isPublicHoliday(date);
}

/** The date itself when it is a working day, else the next working day. */
export function nextWorkingDay(date: string): string {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}
