import type { DB } from '../../server/core/db.js';

export type OutboxMail = { id: number; to_address: string; subject: string; text_body: string; html_body: string; template: string; status: string };

export function mailsTo(db: DB, to: string): OutboxMail[] {
  return db.prepare('SELECT * FROM outbox WHERE to_address = ? ORDER BY id').all(to) as OutboxMail[];
}

export function lastMailTo(db: DB, to: string): OutboxMail {
  const all = mailsTo(db, to);
  if (!all.length) throw new Error(`no mail to ${to}`);
  return all[all.length - 1];
}

/** The first link in a mail's text body that starts with the given path. */
export function linkIn(mail: OutboxMail, pathPrefix: string): string {
  const match = new RegExp(`https?://[^\\s]+${pathPrefix.replace(/\//g, '\\/')}[^\\s]*`).exec(mail.text_body);
  if (!match) throw new Error(`no ${pathPrefix} link in mail "${mail.subject}"`);
  return new URL(match[0]).pathname;
}
