/**
 * The person a privacy request is about (their applications within one CPTS), how they are
 * written in text, and the types of the registry of personal data (personal-data.ts).
 */
import type { DB } from '../../core/db.js';
import { escapeHtml } from '../../core/html.js';

/** One person's applications within one CPTS (the link proves the address; never another CPTS's). */
export type Person = {
  organisationId: number;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  applicationIds: number[];
  candidateIds: number[];
  /** The set covers every application of this person in this CPTS (mails found by address may go). */
  whole: boolean;
};

export type ForgetMode = 'erase' | 'anonymise';

/** What replaces the person in text that stays (a sent mail, a decision record). */
export const MARKER: Record<ForgetMode, string> = { erase: '[effacé]', anonymise: '[anonymisé]' };

/**
 * The applications of one person within one CPTS: by the application's CPTS and the
 * candidate's e-mail, case-insensitively. Valid whether a candidate record is shared between
 * CPTS or belongs to one; the one place that answers "which applications are this person's".
 */
export function applicationsOfPerson(db: DB, organisationId: number, email: string): number[] {
  return db
    .prepare(
      `SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id
       WHERE a.organisation_id = ? AND lower(c.email) = lower(?)
         AND NOT EXISTS (SELECT 1 FROM retention_anonymisations r WHERE r.application_id = a.id)
       ORDER BY a.id`,
    )
    .pluck()
    .all(organisationId, email) as number[];
}

/** The person behind these applications (all of the same CPTS and e-mail). */
export function personOf(db: DB, organisationId: number, email: string, applicationIds = applicationsOfPerson(db, organisationId, email)): Person | undefined {
  if (applicationIds.length === 0) return undefined;
  const ids = JSON.stringify(applicationIds);
  const who = db
    .prepare(
      `SELECT c.email, c.first_name, c.last_name, c.phone FROM applications a JOIN candidates c ON c.id = a.candidate_id
       WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.updated_at DESC LIMIT 1`,
    )
    .get(ids) as { email: string; first_name: string; last_name: string; phone: string } | undefined;
  if (!who) return undefined;
  const candidateIds = db.prepare('SELECT DISTINCT candidate_id FROM applications WHERE id IN (SELECT value FROM json_each(?))').pluck().all(ids) as number[];
  const all = applicationsOfPerson(db, organisationId, email);
  return {
    organisationId,
    email: who.email,
    firstName: who.first_name,
    lastName: who.last_name,
    phone: who.phone,
    applicationIds,
    candidateIds,
    whole: all.every((id) => applicationIds.includes(id)),
  };
}

/**
 * How the person is written in text, longest first so a full name goes before its parts: the
 * e-mail (as given and lower-case), the name both ways, the phone, each name alone (from three
 * characters: shorter ones would cut through other words). Each also HTML- and JSON-escaped.
 */
export function identifiersOf(p: Pick<Person, 'email' | 'firstName' | 'lastName' | 'phone'>): string[] {
  const raw = [
    p.email,
    p.email.toLowerCase(),
    `${p.firstName} ${p.lastName}`,
    `${p.lastName} ${p.firstName}`,
    p.phone,
    p.phone.replace(/\s+/g, ''),
    p.lastName,
    p.firstName,
  ]
    .map((s) => s.trim())
    .filter((s) => s.length >= 3);
  const forms = raw.flatMap((s) => [s, escapeHtml(s), JSON.stringify(s).slice(1, -1)]);
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** The full name both ways, as written in text and in HTML. */
export function fullNames(p: Pick<Person, 'firstName' | 'lastName'>): string[] {
  if (!p.firstName.trim() || !p.lastName.trim()) return [];
  return [...new Set([`${p.firstName} ${p.lastName}`, `${p.lastName} ${p.firstName}`].flatMap((s) => [s, escapeHtml(s)]))];
}

/** `replace()` of every identifier in a column, as SQL, with its parameters. */
export function replaceAll(column: string, identifiers: string[]): string {
  return identifiers.reduce((expr, _id, i) => `replace(${expr}, @i${i}, @marker)`, column);
}
export function identifierParams(identifiers: string[], marker: string): Record<string, string> {
  return Object.fromEntries([...identifiers.map((id, i) => [`i${i}`, id]), ['marker', marker]]);
}
export function mentionsAny(column: string, identifiers: string[]): string {
  return identifiers.length ? `(${identifiers.map((_id, i) => `instr(${column}, @i${i}) > 0`).join(' OR ')})` : '0';
}

/** `poolIndex`: rows left the regional pool's index (compact it once committed: pool/search-index.ts). */
export type ForgetResult = { files: string[]; mailsCancelled: number; mailsScrubbed: number; poolIndex: boolean };
export type Step = (db: DB, p: Person, mode: ForgetMode, out: ForgetResult) => void;

/** A value shown in the access export, and how to read it. */
/** How the access summary shows a field; 'posting': a JSON object {title, reference}, shown as the posting's label in the reader's language. */
export type FieldKind = 'text' | 'long' | 'datetime' | 'date' | 'bool' | 'number' | 'bytes' | 'posting' | { code: string[] };
export type AccessSection = { key: string; fields: [string, FieldKind][]; rows: (db: DB, p: Person, opts: AccessOptions) => Record<string, unknown>[] };
export type AccessOptions = {
  /** Submitted evaluations of this application may be shown (the independence rule, for staff). */
  evaluationsVisible: (applicationId: number) => boolean;
  /** Drafts are the panel's work in progress: shown to the person themself only. */
  drafts: boolean;
};

export type Copy = {
  table: string;
  /** Text columns that may hold the person's data. */
  personal: string[];
  /** The table's other text columns, which do not (stage names, codes, dates, staff names). */
  other: string[];
  /** 'cascade': the rows go with the application through ON DELETE CASCADE (checked by the test). */
  erase: Step | 'cascade';
  /** 'kept': what stays holds nothing personal once the other steps ran. */
  anonymise: Step | 'kept';
  access?: AccessSection;
};
