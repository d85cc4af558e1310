/**
 * CSV that French spreadsheet software opens as is: UTF-8 with a BOM, `;` between fields,
 * dates as JJ/MM/AAAA (Paris), decimal commas. A cell that a spreadsheet would read as a
 * formula (=, +, -, @, tab, CR first) gets a leading apostrophe (formula injection).
 */
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | null | undefined | Date;

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const FRENCH_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });

/** JJ/MM/AAAA in Paris time, from an ISO instant or a YYYY-MM-DD date. */
export function frenchDate(iso: string | null | undefined): string {
  if (!iso) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return FRENCH_DAY.format(d);
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return frenchDate(value.toISOString());
  // Numbers are ours (counts, averages): negative ones are never formulas, decimals get a comma.
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace('.', ',');
  return neutralise(value);
}

export function toCsv(header: string[], rows: Cell[][]): string {
  const body = stringify([header.map(cell), ...rows.map((r) => r.map(cell))], { delimiter: ';', record_delimiter: '\r\n', quoted_match: /[;"\r\n]/ });
  return `\uFEFF${body}`;
}

export function sendCsv(res: Response, filename: string, header: string[], rows: Cell[][]): void {
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.attachment(filename);
  res.send(toCsv(header, rows));
}
