/**
 * The posting's conditions (contract, working time, pay, place, start) written from its fields,
 * so the published text cannot contradict the facts box. Templates hold the placeholder
 * {{conditions}} where the list goes; it is expanded whenever the description is shown.
 */
import { formatDate, formatNumber, type Translate } from '../../core/i18n.js';
import type { PostingRow } from './queries.js';

export const CONDITIONS_PLACEHOLDER = /\{\{\s*conditions\s*\}\}/g;

type ConditionFields = Pick<
  PostingRow,
  'contract_type' | 'contract_duration_months' | 'contract_details' | 'fte_percent' | 'hours_per_week' | 'salary_min' | 'salary_max' | 'start_date' | 'location' | 'street_address' | 'postal_code'
>;

/** "Clisson (44)" -> "Clisson": the département number belongs to the postal code, not the town. */
export function locality(location: string): string {
  return location.replace(/\s*\((?:\d{2,3}|2[AB])\)\s*$/i, '').trim();
}

/** The share of a full-time post (1 for full time), from the per cent or the weekly hours (35 h). */
export function workingShare(p: Pick<PostingRow, 'fte_percent' | 'hours_per_week'>): number | undefined {
  if (p.hours_per_week !== null) return Math.min(1, p.hours_per_week / 35);
  if (p.fte_percent !== null) return Math.min(1, p.fte_percent / 100);
  return undefined;
}

/** Yearly pay at the post's working time (the salary fields are full-time figures), rounded to the euro. */
export function payAtWorkingTime(p: ConditionFields): { min: number | null; max: number | null } {
  const share = workingShare(p) ?? 1;
  const scale = (v: number | null) => (v === null ? null : Math.round(v * share));
  return { min: scale(p.salary_min), max: scale(p.salary_max) };
}

function money(n: number): string {
  return formatNumber(n, 'fr');
}

/** One Markdown list line per condition, in the posting's language (French). */
export function conditionsMarkdown(p: ConditionFields, t: Translate): string {
  const lines: string[] = [];
  const contract =
    p.contract_type === 'CDD' && p.contract_duration_months
      ? t('jobs.cond.cdd', { n: p.contract_duration_months })
      : p.contract_type === 'other'
        ? p.contract_details || t('jobs.contract.other')
        : t('jobs.cond.cdi');
  lines.push(t('jobs.cond.contract', { value: contract }));

  const share = workingShare(p);
  const time =
    p.hours_per_week !== null
      ? t('jobs.cond.hours', { n: p.hours_per_week })
      : p.fte_percent !== null
        ? p.fte_percent >= 100
          ? t('jobs.cond.fullTime')
          : t('jobs.cond.fte', { n: p.fte_percent })
        : t('jobs.cond.timeUnknown');
  lines.push(t('jobs.cond.workingTime', { value: time }));

  const partTime = share !== undefined && share < 1;
  const paid = payAtWorkingTime(p);
  let pay: string;
  if (p.salary_min !== null && p.salary_max !== null && p.salary_min !== p.salary_max) {
    const range = { min: money(p.salary_min), max: money(p.salary_max) };
    pay = partTime ? t('jobs.cond.payRangePartTime', { ...range, pmin: money(paid.min!), pmax: money(paid.max!) }) : t('jobs.cond.payRange', range);
  } else if (p.salary_min !== null || p.salary_max !== null) {
    const value = money((p.salary_min ?? p.salary_max)!);
    pay = partTime ? t('jobs.cond.payOnePartTime', { value, pvalue: money((paid.min ?? paid.max)!) }) : t('jobs.cond.payOne', { value });
  } else {
    pay = t('jobs.cond.payUnknown');
  }
  lines.push(t('jobs.cond.pay', { value: pay }));

  // "2 rue des Vignes, 44190 Clisson" once a postal code is given; the town as typed otherwise.
  const town = p.postal_code ? [p.postal_code, locality(p.location)].filter(Boolean).join(' ') : p.location;
  const place = [p.street_address, town].filter(Boolean).join(', ');
  if (place) lines.push(t('jobs.cond.place', { value: place }));

  lines.push(t('jobs.cond.start', { value: p.start_date ? formatDate(`${p.start_date}T12:00:00Z`, 'fr') : t('jobs.cond.asap') }));
  return lines.map((l) => `- ${l}`).join('\n');
}

/** The description as published: {{conditions}} replaced by the list written from the fields. */
export function publishedMarkdown(p: ConditionFields & Pick<PostingRow, 'description_md'>, t: Translate): string {
  if (!CONDITIONS_PLACEHOLDER.test(p.description_md)) return p.description_md;
  CONDITIONS_PLACEHOLDER.lastIndex = 0;
  const list = conditionsMarkdown(p, t);
  return p.description_md.replace(CONDITIONS_PLACEHOLDER, () => list);
}
