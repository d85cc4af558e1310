/**
 * How a posting is named wherever it is printed: its title with its permanent reference
 * ("Réf. 2026-03") and its dates (published on, or draft; applications until, or closed on),
 * so that two postings of the same title (a CPTS re-opening its coordinator post, a chargée de
 * mission reading many CPTS) are told apart in pages, `<option>`s, mails, calendar files and
 * exports (issue 13). Rows carry the posting either as a posting (`title`, `reference`, ...)
 * or as a joined row's `posting_title`, `posting_reference`, ... columns: both are read.
 * Cross-cutting, like dates: every feature prints postings; the messages are the common ones.
 */
import { formatDate, type Locale, type Translate } from './i18n.js';

export type PostingLabelFields = {
  title: string;
  reference: string | null;
  status?: string | null;
  published_at?: string | null;
  deadline?: string | null;
  closed_at?: string | null;
};

/** A joined row's posting columns (postingLabelColumns). */
export type PostingLabelRow = {
  posting_title: string;
  posting_reference: string | null;
  posting_status?: string | null;
  posting_published_at?: string | null;
  posting_deadline?: string | null;
  posting_closed_at?: string | null;
};

export type PostingLike = PostingLabelFields | PostingLabelRow;

/** The columns a joined query selects for the label, as `posting_*` (`alias` is the postings table's). */
export const postingLabelColumns = (alias = 'p') =>
  `${alias}.title AS posting_title, ${alias}.reference AS posting_reference, ${alias}.status AS posting_status, ` +
  `${alias}.published_at AS posting_published_at, ${alias}.deadline AS posting_deadline, ${alias}.closed_at AS posting_closed_at`;

export function labelFields(p: PostingLike): PostingLabelFields {
  if ('posting_title' in p) {
    return {
      title: p.posting_title,
      reference: p.posting_reference,
      status: p.posting_status,
      published_at: p.posting_published_at,
      deadline: p.posting_deadline,
      closed_at: p.posting_closed_at,
    };
  }
  return p;
}

/** "Réf. 2026-03" (empty when the row has none). */
export function postingReference(p: PostingLike, t: Translate): string {
  const f = labelFields(p);
  return f.reference ? t('posting.reference', { reference: f.reference }) : '';
}

/** "Réf. 2026-03, publiée le 3 mars 2026, candidatures jusqu’au 31 mars 2026": what tells the posting apart. */
export function postingDetails(p: PostingLike, t: Translate, locale: Locale): string {
  const f = labelFields(p);
  const parts = [postingReference(f, t)];
  if (f.status === 'draft') parts.push(t('posting.draft'));
  else if (f.published_at) parts.push(t('posting.publishedOn', { date: formatDate(f.published_at, locale) }));
  if ((f.status === 'closed' || f.status === 'filled') && f.closed_at) parts.push(t('posting.closedOn', { date: formatDate(f.closed_at, locale) }));
  else if (f.deadline) parts.push(t('posting.until', { date: formatDate(f.deadline, locale) }));
  return parts.filter(Boolean).join(', ');
}

/** The posting's full label as plain text: "Title (Réf. 2026-03, publiée le …)". For `<option>`s, titles of pages, subjects, ICS, CSV. */
export function postingLabel(p: PostingLike, t: Translate, locale: Locale): string {
  const f = labelFields(p);
  const details = postingDetails(f, t, locale);
  return details ? t('posting.label', { title: f.title, details }) : f.title;
}

/** The short form for a public page or a candidate's mail: "Title (Réf. 2026-03)". */
export function postingLabelShort(p: PostingLike, t: Translate): string {
  const f = labelFields(p);
  return f.reference ? t('posting.label', { title: f.title, details: postingReference(f, t) }) : f.title;
}

/** What views get in their locals (server/app.ts), bound to the request's translator and locale. */
export function postingLabelHelpers(t: Translate, locale: Locale) {
  return {
    postingLabel: (p: PostingLike) => postingLabel(p, t, locale),
    postingLabelShort: (p: PostingLike) => postingLabelShort(p, t),
    postingDetails: (p: PostingLike) => postingDetails(p, t, locale),
    postingReference: (p: PostingLike) => postingReference(p, t),
    postingTitle: (p: PostingLike) => labelFields(p).title,
  };
}
