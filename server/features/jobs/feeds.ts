/** Machine-readable views of postings: schema.org JobPosting JSON-LD and an Atom 1.0 feed. */
import { postingLabelShort } from '../../core/posting-label.js';
import type { Translate } from '../../core/i18n.js';
import { locality, payAtWorkingTime, publishedMarkdown } from './conditions.js';
import { renderMarkdown, markdownToText } from './markdown.js';
import type { PublicPostingRow } from './queries.js';

export function postingUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/offres/${encodeURIComponent(slug)}`;
}

function employmentType(p: PublicPostingRow): string[] {
  const fullTime = (p.fte_percent ?? 0) >= 100 || (p.hours_per_week ?? 0) >= 35;
  const types = [fullTime ? 'FULL_TIME' : 'PART_TIME'];
  if (p.contract_type === 'CDD') types.push('TEMPORARY');
  if (p.contract_type === 'other') types.push('OTHER');
  return types;
}

const PARIS_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' });

/** The last second of a calendar day in Paris, with that day's offset: 2026-12-15T23:59:59+01:00. */
export function endOfParisDay(day: string): string {
  // An hour before midnight UTC+1 is still that day in Paris whatever the season; clocks change at night between Saturday and Sunday, never near midnight.
  const instant = new Date(`${day}T21:59:59Z`);
  const name = PARIS_OFFSET.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const offset = /GMT([+-]\d{2}:\d{2})/.exec(name)?.[1] ?? '+01:00';
  return `${day}T23:59:59${offset}`;
}

/** https://schema.org/JobPosting with what Google for Jobs reads. */
export function jobPostingJsonLd(p: PublicPostingRow, baseUrl: string, t: Translate): Record<string, unknown> {
  const careers = `${baseUrl}/cpts/${encodeURIComponent(p.org_slug)}/offres`;
  const organisation: Record<string, unknown> = { '@type': 'Organization', name: p.org_name, url: p.org_website_url || careers };
  if (p.org_website_url) organisation.sameAs = p.org_website_url;
  if (p.org_logo_url) organisation.logo = p.org_logo_url;
  const address: Record<string, unknown> = { '@type': 'PostalAddress' };
  const street = p.street_address || p.org_street_address;
  const postalCode = p.postal_code || p.org_postal_code;
  if (street) address.streetAddress = street;
  address.addressLocality = locality(p.location) || p.org_city || locality(p.org_territory);
  if (postalCode) address.postalCode = postalCode;
  address.addressRegion = p.region_name;
  address.addressCountry = 'FR';
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: p.title,
    description: renderMarkdown(publishedMarkdown(p, t)),
    datePosted: (p.published_at ?? p.created_at).slice(0, 10),
    employmentType: employmentType(p),
    hiringOrganization: organisation,
    jobLocation: { '@type': 'Place', address },
    directApply: true,
    url: postingUrl(baseUrl, p.slug),
    // The CPTS's own reference of the post (issue 13), the one candidates quote: "Réf. 2026-03".
    identifier: { '@type': 'PropertyValue', name: p.org_name, value: p.reference },
  };
  if (p.deadline) data.validThrough = endOfParisDay(p.deadline);
  if (p.start_date) data.jobStartDate = p.start_date;
  // What the person is paid at the post's working time: the fields hold full-time figures.
  const pay = payAtWorkingTime(p);
  if (pay.min !== null || pay.max !== null) {
    const value: Record<string, unknown> = { '@type': 'QuantitativeValue', unitText: 'YEAR' };
    if (pay.min !== null && pay.max !== null && pay.min !== pay.max) {
      value.minValue = pay.min;
      value.maxValue = pay.max;
    } else {
      value.value = pay.min ?? pay.max;
    }
    data.baseSalary = { '@type': 'MonetaryAmount', currency: 'EUR', value };
  }
  return data;
}

/** JSON safe inside a <script> element: no "</script>" or "<!--" can close or confuse it. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// Characters XML 1.0 forbids even escaped: control characters other than tab, LF, CR.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(value: unknown): string {
  return String(value ?? '')
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Atom 1.0 (RFC 4287): feed id/title/updated/author/link, and per entry id/title/updated/link. */
/**
 * A permanent entry id (RFC 4151 tag: URI): `authority` is "host,date" fixed once per instance,
 * so ids survive a change of BASE_URL or of a posting's address.
 */
export function postingTagUri(authority: string, postingId: number): string {
  return `tag:${authority}:posting:${postingId}`;
}

export function atomFeed(postings: PublicPostingRow[], opts: { baseUrl: string; tagAuthority: string; title: string; subtitle: string; now: Date; t: Translate }): string {
  const updated = postings.reduce((max, p) => (p.updated_at > max ? p.updated_at : max), postings.length ? postings[0].updated_at : opts.now.toISOString());
  const entries = postings.map(
    (p) => `  <entry>
    <id>${escapeXml(postingTagUri(opts.tagAuthority, p.id))}</id>
    <title>${escapeXml(postingLabelShort(p, opts.t))} – ${escapeXml(p.org_name)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(postingUrl(opts.baseUrl, p.slug))}"/>
    <published>${escapeXml(p.published_at ?? p.created_at)}</published>
    <updated>${escapeXml(p.updated_at)}</updated>
    <author><name>${escapeXml(p.org_name)}</name></author>
    <category term="${escapeXml(p.kind)}"/>
    <summary type="text">${escapeXml(p.summary || markdownToText(p.description_md).slice(0, 400))}</summary>
    <content type="html">${escapeXml(renderMarkdown(publishedMarkdown(p, opts.t)))}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>${escapeXml(`tag:${opts.tagAuthority}:postings`)}</id>
  <title>${escapeXml(opts.title)}</title>
  <subtitle>${escapeXml(opts.subtitle)}</subtitle>
  <updated>${escapeXml(updated)}</updated>
  <author><name>Coordo</name></author>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${opts.baseUrl}/offres.atom`)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(`${opts.baseUrl}/offres`)}"/>
${entries.join('\n')}
</feed>
`;
}
