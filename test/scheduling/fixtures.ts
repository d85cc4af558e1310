/** A posting with two shortlisted candidates, a panel of three (chair, member, outside evaluator) and helpers. */
import type { Express } from 'express';
import type { DB } from '../../server/core/db.js';
import { nowIso } from '../../server/core/db.js';
import { newToken } from '../../server/core/tokens.js';
import { anonymous, csrfFrom, type Agent } from '../helpers/agent.js';
import { createUser } from '../helpers/factories.js';
import { evaluationWorld, seatPanel } from '../evaluation/fixtures.js';

export async function schedulingWorld(db: DB) {
  const w = await evaluationWorld(db);
  const external = await createUser(db, { name: 'Évaluatrice Extérieure', email: 'externe@example.test' });
  seatPanel(db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.bureauA.id }, { id: external.id, kind: 'external' }]);
  return { ...w, external };
}

/** A day N days from now, as the Paris date the forms take. */
export const inDays = (days: number, from = new Date()) => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** A private link for an application, as the candidate would have it from a mail. */
export function candidateToken(db: DB, applicationId: number, expiresAt = '2099-01-01T00:00:00.000Z'): string {
  const { token, hash } = newToken();
  db.prepare('INSERT INTO application_links (application_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)').run(applicationId, hash, expiresAt, nowIso());
  return token;
}

/** Posts a form from a page that has one (the candidate and signed-link pages carry their own token). */
export async function postFrom(agent: Agent, page: string, path: string, fields: Record<string, unknown>) {
  const token = csrfFrom((await agent.get(page)).text);
  return agent.post(path).type('form').send({ _csrf: token, ...fields });
}

export const visitor = (app: Express) => anonymous(app);

export type Mail = { id: number; to_address: string; subject: string; text_body: string; html_body: string; template: string; attachments: string };
export const mailsOf = (db: DB, template?: string) =>
  (template ? db.prepare('SELECT * FROM outbox WHERE template = ? ORDER BY id').all(template) : db.prepare('SELECT * FROM outbox ORDER BY id').all()) as Mail[];

/** The path of the first link to this app in a mail's text. */
export function linkPath(mail: Mail, prefix: string): string {
  const m = new RegExp(`http://coordo\\.test(${prefix.replace(/[/]/g, '\\/')}[A-Za-z0-9_/-]+)`).exec(mail.text_body);
  if (!m) throw new Error(`no ${prefix} link in mail ${mail.subject}`);
  return m[1];
}
