/** Machine-readable views of postings: schema.org JobPosting JSON-LD and an Atom 1.0 feed. */
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

/** https://schema.org/JobPosting with what Google for Jobs reads. */
export function jobPostingJsonLd(p: PublicPostingRow, baseUrl: string): Record<string, unknown> {
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: p.title,
    description: renderMarkdown(p.description_md),
    datePosted: (p.published_at ?? p.created_at).slice(0, 10),
    employmentType: employmentType(p),
    hiringOrganization: {
      '@type': 'Organization',
      name: p.org_name,
      sameAs: `${baseUrl}/cpts/${encodeURIComponent(p.org_slug)}/offres`,
    },
    jobLocation: {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        addressLocality: p.location || p.org_territory,
        addressRegion: p.region_name,
        addressCountry: 'FR',
      },
    },
    directApply: true,
    url: postingUrl(baseUrl, p.slug),
    identifier: { '@type': 'PropertyValue', name: p.org_name, value: p.slug },
  };
  // End of the deadline day in France (UTC+1/+2): 22:00 UTC is still that day in Paris.
  if (p.deadline) data.validThrough = `${p.deadline}T21:59:59Z`;
  if (p.start_date) data.jobStartDate = p.start_date;
  if (p.salary_min !== null || p.salary_max !== null) {
    const value: Record<string, unknown> = { '@type': 'QuantitativeValue', unitText: 'YEAR' };
    if (p.salary_min !== null && p.salary_max !== null && p.salary_min !== p.salary_max) {
      value.minValue = p.salary_min;
      value.maxValue = p.salary_max;
    } else {
      value.value = p.salary_min ?? p.salary_max;
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
export function atomFeed(postings: PublicPostingRow[], opts: { baseUrl: string; title: string; subtitle: string; now: Date }): string {
  const updated = postings.reduce((max, p) => (p.updated_at > max ? p.updated_at : max), postings.length ? postings[0].updated_at : opts.now.toISOString());
  const entries = postings.map(
    (p) => `  <entry>
    <id>${escapeXml(postingUrl(opts.baseUrl, p.slug))}</id>
    <title>${escapeXml(p.title)} – ${escapeXml(p.org_name)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(postingUrl(opts.baseUrl, p.slug))}"/>
    <published>${escapeXml(p.published_at ?? p.created_at)}</published>
    <updated>${escapeXml(p.updated_at)}</updated>
    <author><name>${escapeXml(p.org_name)}</name></author>
    <category term="${escapeXml(p.kind)}"/>
    <summary type="text">${escapeXml(p.summary || markdownToText(p.description_md).slice(0, 400))}</summary>
    <content type="html">${escapeXml(renderMarkdown(p.description_md))}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>${escapeXml(`${opts.baseUrl}/offres.atom`)}</id>
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
