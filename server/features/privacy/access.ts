/**
 * The access export (GDPR art. 15): everything the CPTS keeps about one person, from the
 * registry of personal data (personal-data.ts), as JSON and as a readable summary whose every
 * value is a label from the catalogue, never an internal code.
 */
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { formatDate, formatNumber, type Locale, type Translate } from '../../core/i18n.js';
import { postingLabelShort } from '../../core/posting-label.js';
import { accessSections, type AccessOptions, type FieldKind, type Person } from './personal-data.js';

export type AccessExport = {
  json: Record<string, unknown>;
  sections: ReturnType<typeof accessSections>;
  documents: { name: string; storedName: string }[];
};

type Controller = { name: string; email: string | null };
type LinkApplication = { id: number; posting_title: string; posting_reference?: string | null; status: string; message: string; source: string; talent_pool_consent: number; talent_pool_at: string | null; created_at: string; updated_at: string; withdrawn_at: string | null };

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** One person's data in one CPTS; `application` is the one the request came through. */
export function accessExport(db: DB, person: Person, controller: Controller, application: LinkApplication, opts: AccessOptions): AccessExport {
  const sections = accessSections(db, person, opts);
  const docs = db
    .prepare('SELECT id, application_id, original_name, kind, file_type, size_bytes, sha256, created_at, stored_name FROM application_documents WHERE application_id IN (SELECT value FROM json_each(?)) ORDER BY id')
    .all(JSON.stringify(person.applicationIds)) as { id: number; application_id: number; original_name: string; kind: string; file_type: string; size_bytes: number; sha256: string; created_at: string; stored_name: string }[];
  const files = docs.map((d, i) => ({ name: `documents/${i + 1}-${d.original_name}`, storedName: d.stored_name }));
  const history = db.prepare('SELECT action, at FROM application_events WHERE application_id = ? ORDER BY id').all(application.id) as { action: string; at: string }[];
  return {
    sections,
    documents: files,
    json: {
      exportedAt: nowIso(),
      controller,
      candidate: { email: person.email, firstName: person.firstName, lastName: person.lastName, phone: person.phone },
      application: {
        posting: application.posting_title,
        postingReference: application.posting_reference ?? null,
        status: application.status,
        message: application.message,
        source: application.source,
        talentPoolConsent: application.talent_pool_consent === 1,
        talentPoolConsentAt: application.talent_pool_at,
        submittedAt: application.created_at,
        updatedAt: application.updated_at,
        withdrawnAt: application.withdrawn_at,
      },
      documents: docs.map((d, i) => ({ file: files[i]!.name, kind: d.kind, type: d.file_type, size: d.size_bytes, sha256: d.sha256, receivedAt: d.created_at })),
      history,
      // Every application of the person in this CPTS, and everything tied to them.
      everything: Object.fromEntries(
        sections.filter((s) => s.key !== 'identity').map((s) => {
          const postings = new Set(s.fields.filter(([, kind]) => kind === 'posting').map(([field]) => field));
          return [s.key, s.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camel(k), postings.has(k) ? postingOf(v) : v])))];
        }),
      ),
    },
  };
}

/** A posting as the registry's queries give it (json_object of its title and reference). */
function postingOf(value: unknown): { title: string; reference: string | null } | null {
  if (typeof value !== 'string' || !value) return null;
  const v = JSON.parse(value) as { title: string; reference: string | null };
  return { title: v.title, reference: v.reference };
}

function display(value: unknown, kind: FieldKind, t: Translate, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '';
  if (kind === 'posting') {
    const p = postingOf(value);
    return p ? postingLabelShort(p, t) : '';
  }
  if (typeof kind === 'object') {
    for (const prefix of kind.code) {
      const key = `${prefix}.${String(value)}`;
      const label = t(key);
      if (label !== key) return label;
    }
    return t('privacy.access.unknownValue');
  }
  switch (kind) {
    case 'datetime':
      return formatDate(String(value), locale, true);
    case 'date':
      return formatDate(`${String(value)}T12:00:00Z`, locale);
    case 'bool':
      return t(Number(value) === 1 ? 'common.yes' : 'common.no');
    case 'number':
      return formatNumber(Number(value), locale);
    case 'bytes':
      return t('privacy.access.kilobytes', { n: formatNumber(Math.max(1, Math.round(Number(value) / 1024)), locale) });
    default:
      return String(value);
  }
}

/** The summary as the page shows it: section titles, field labels and readable values. */
export function readableSections(sections: ReturnType<typeof accessSections>, t: Translate, locale: Locale) {
  return sections.map((s) => ({
    key: s.key,
    title: t(`privacy.access.section.${s.key}`),
    rows: s.rows.map((row) =>
      s.fields
        .map(([field, kind]) => ({ label: t(`privacy.access.field.${s.key}.${field}`), value: display(row[field], kind, t, locale), long: kind === 'long' }))
        .filter((f) => f.value !== ''),
    ),
  }));
}
