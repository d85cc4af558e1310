/**
 * The language of each mail: its recipient's, never the sender's or a default. A member
 * reads their account's language (`users.locale`); a candidate, who has no account, the
 * language they applied in (`applications.locale`, migration 032). Features get a translator
 * factory in their mail context, not a fixed translator, and ask here whom they write to.
 */
import type { DB } from './db.js';
import type { Locale, Translate } from './i18n.js';

/** The app's `i18n.translator`: one translator per locale. */
export type Translators = (locale: Locale) => Translate;

/** What a feature needs to write mail: the translators (each mail picks its recipient's), the base URL, the actor's IP for the audit. */
export type MailContext = { translator: Translators; baseUrl: string; ip?: string };

/** Whom a mail is for: a member (user id), a candidate (application id), or an address that may have no account. */
export type Recipient = { userId: number } | { applicationId: number } | { email: string; otherwise: Locale };

const asLocale = (value: unknown): Locale => (value === 'en' ? 'en' : 'fr');

/** The account language of a member. */
export function userLocale(db: DB, userId: number): Locale {
  const row = db.prepare('SELECT locale FROM users WHERE id = ?').get(userId) as { locale: string } | undefined;
  return asLocale(row?.locale);
}

/** The language a candidate applied in. */
export function applicationLocale(db: DB, applicationId: number): Locale {
  const row = db.prepare('SELECT locale FROM applications WHERE id = ?').get(applicationId) as { locale: string } | undefined;
  return asLocale(row?.locale);
}

/** The language of a recipient. */
export function recipientLocale(db: DB, to: Recipient): Locale {
  if ('userId' in to) return userLocale(db, to.userId);
  if ('applicationId' in to) return applicationLocale(db, to.applicationId);
  const row = db.prepare('SELECT locale FROM users WHERE email = ?').get(to.email) as { locale: string } | undefined;
  return row ? asLocale(row.locale) : to.otherwise;
}

/** The locale and translator to write one recipient's mail with. */
export function writerFor(db: DB, ctx: { translator: Translators }, to: Recipient): { locale: Locale; t: Translate } {
  const locale = recipientLocale(db, to);
  return { locale, t: ctx.translator(locale) };
}
