/**
 * Anonymity (DESIGN.md, "Rules that cross features"): while an application is screened
 * anonymously, its name, e-mail, phone and documents reach no one who screens: not in pages,
 * mail bodies, subjects, previews, cross-links, search results, exports or calendar files.
 *
 * The rule is written here once, in two halves that every feature uses:
 * - `identityHiddenSql` decides, in SQL, for a viewer (a user id, or NULL for a mail to the
 *   CPTS at large) and an application, whether its identity is hidden. Every query that
 *   reads an application for someone who screens selects it as `masked`.
 * - `presentIdentity` turns such a row into what the viewer may read: the label
 *   "Candidat·e n°5" and no contact details while masked, and `redact` for the free text
 *   around the application (the candidate's message, notes, comments, mail subjects),
 *   which may carry the identity too. `searchableText` is the same redaction for the
 *   list's text search, registered as an SQL function.
 *
 * Identity is hidden when the posting screens anonymously, the application has never reached
 * a stage that shows identity (`identity_open`), it stands at an anonymised stage or at an end
 * state it reached from one (rejected or withdrawn during screening), and the viewer has not
 * lifted the anonymity themselves (an audited reveal, table pipeline_reveals).
 */
import type { DB } from '../../core/db.js';
import type { Translate } from '../../core/i18n.js';

/** Table aliases of the query the rule is spliced into, and the viewer's parameter. */
export type IdentitySqlAliases = { card: string; stage: string; settings: string; viewer: string };

/**
 * 1 when the application's identity is hidden from the viewer, else 0. `settings` is a LEFT
 * JOIN of pipeline_settings (absent: not anonymised); `viewer` is a bound parameter or NULL.
 */
export function identityHiddenSql(a: IdentitySqlAliases = { card: 'c', stage: 's', settings: 'ps', viewer: '@userId' }): string {
  return `(CASE WHEN COALESCE(${a.settings}.anonymised, 0) = 1 AND ${a.card}.identity_open = 0
    AND (${a.stage}.anonymised = 1 OR ${a.stage}.kind IN ('rejected', 'withdrawn'))
    AND NOT EXISTS (SELECT 1 FROM pipeline_reveals r WHERE r.application_id = ${a.card}.application_id AND r.user_id = ${a.viewer} AND r.what = 'identity')
  THEN 1 ELSE 0 END)`;
}

/** What identifies a candidate, as read with an application. */
export type Identity = { full_name: string; email?: string | null; phone?: string | null; first_name?: string | null; last_name?: string | null };

/** An application row as queries return it for a viewer: identity plus the rule's verdict. */
export type IdentityRow = Identity & { masked: number; anon_number: number };

/** The label that stands for the candidate while identity is hidden. */
export const anonymousLabel = (t: Translate, anonNumber: number) => t('pipeline.anon.label', { n: anonNumber });

/** How the viewer names the candidate: the label while masked, else the name. */
export const displayName = (t: Translate, row: IdentityRow) => (row.masked ? anonymousLabel(t, row.anon_number) : row.full_name);

/** Lower-case, without accents, character by character, with where each folded character came from. */
function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
    i += ch.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Patterns (on folded text) for each identifying part: the names, the e-mail and its local part, the phone digits. */
function identityPatterns(id: Identity): RegExp[] {
  const words = new Set<string>();
  const parts = [id.full_name, id.first_name, id.last_name, id.email, id.email?.split('@')[0]];
  for (const p of parts) {
    const f = fold(p ?? '').folded.trim();
    if (f.length >= 2) words.add(f);
    // Each part of a compound name ("Marie-Hélène", "Le Goff") identifies on its own.
    for (const w of f.split(/[\s\-'’@.]+/)) if (w.length >= 3) words.add(w);
  }
  // Whole words only: a candidate named "Li" does not turn "qualité" into "qua[masqué]té".
  const patterns = [...words].sort((a, b) => b.length - a.length).map((w) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(w)}(?![\\p{L}\\p{N}])`, 'gu'));
  const digits = (id.phone ?? '').replace(/\D/g, '');
  // The number written with or without spaces, dots, dashes; +33 for the leading 0.
  if (digits.length >= 6) {
    const national = digits.startsWith('33') ? digits.slice(2) : digits.replace(/^0/, '');
    patterns.unshift(new RegExp(`(?:\\+\\s*33\\s*(?:\\(0\\))?|0)?[\\s.\\-()]*${national.split('').map(escapeRegExp).join('[\\s.\\-()]*')}`, 'g'));
  }
  return patterns;
}

/**
 * The text with every part of the identity replaced by `mark`, matched without regard to
 * case or accents (a candidate who signs "HUGO Lefevre" is found as "Hugo Lefèvre").
 */
export function redactIdentity(text: string, id: Identity, mark: string): string {
  if (!text) return text;
  const patterns = identityPatterns(id);
  if (patterns.length === 0) return text;
  const { folded, origin } = fold(text);
  const hidden = new Array<boolean>(text.length).fill(false);
  for (const re of patterns) {
    for (const m of folded.matchAll(re)) {
      if (!m[0].length) continue;
      for (let k = origin[m.index]; k < origin[m.index + m[0].length]; k++) hidden[k] = true;
    }
  }
  let out = '';
  for (let k = 0; k < text.length; k++) {
    if (!hidden[k]) out += text[k];
    else if (k === 0 || !hidden[k - 1]) out += mark;
  }
  return out;
}

export type PresentedIdentity = {
  masked: boolean;
  /** the name, or "Candidat·e n°5" */
  label: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** free text about the application, with the identity taken out while masked */
  redact: (text: string) => string;
};

/** What the viewer may read of the candidate's identity. */
export function presentIdentity(t: Translate, row: IdentityRow): PresentedIdentity {
  if (!row.masked) return { masked: false, label: row.full_name, name: row.full_name, email: row.email ?? null, phone: row.phone ?? null, redact: (text) => text };
  const mark = t('pipeline.anon.redacted');
  return { masked: true, label: anonymousLabel(t, row.anon_number), name: null, email: null, phone: null, redact: (text) => redactIdentity(text, row, mark) };
}

/**
 * The row as a view may receive it: while masked, the identity fields hold the label or
 * nothing, so a template that prints one by mistake still shows no identity.
 */
export function maskedRow<T extends IdentityRow>(t: Translate, row: T): T {
  if (!row.masked) return row;
  const label = anonymousLabel(t, row.anon_number);
  const out: Record<string, unknown> = { ...row, full_name: label, first_name: label, last_name: '' };
  for (const key of ['email', 'candidate_email']) if (key in row) out[key] = '';
  if ('phone' in row) out.phone = null;
  return out as T;
}

/**
 * Cross-links between two applications of the same person ("other applications", "same
 * e-mail address as application n°X") tie their identities together: shown only when the
 * viewer sees the identity of both.
 */
export const mayCrossLink = (from: { masked: number }, to: { masked: number }) => !from.masked && !to.masked;

/** A document's name while masked: its kind and type, never the name it was uploaded with. */
export const documentName = (doc: { id: number; kind: string; file_type: string }) => `${doc.kind === 'cv' ? 'CV' : 'document'}-${doc.id}.${doc.file_type}`;

const withSearch = new WeakSet<DB>();

/**
 * Registers `coordo_searchable(text, first_name, last_name, email, phone, masked)`: the text
 * as the list's search may read it, redacted while masked, so a search for a surname never
 * finds a masked application through the message its candidate signed.
 */
export function registerSearchFunction(db: DB): void {
  if (withSearch.has(db)) return;
  db.function('coordo_searchable', { deterministic: true }, (text: unknown, first: unknown, last: unknown, email: unknown, phone: unknown, masked: unknown) => {
    const s = typeof text === 'string' ? text : '';
    if (!masked) return s;
    const f = String(first ?? '');
    const l = String(last ?? '');
    return redactIdentity(s, { full_name: `${f} ${l}`.trim(), first_name: f, last_name: l, email: String(email ?? ''), phone: String(phone ?? '') }, ' ');
  });
  withSearch.add(db);
}
