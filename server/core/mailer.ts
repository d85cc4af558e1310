import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DB } from './db.js';
import { nowIso } from './db.js';
import { escapeHtml, html, raw } from './html.js';
import type { Logger } from './logger.js';

/** A text attachment (calendar files); content is stored with the queued message. */
export type MailAttachment = { filename: string; contentType: string; content: string };

export type Mail = {
  template: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  organisationId?: number | null;
  attachments?: MailAttachment[];
  /** Where answers go: the CPTS's contact on mails to candidates (the sender is a no-reply). */
  replyTo?: string | null;
  /**
   * Sent by the application on its own (receipts, notifications, digests, resets): marked
   * `Auto-Submitted: auto-generated` so that vacation responders stay quiet. False for a mail a
   * person chose to send to someone (a rejection, an interview invitation).
   */
  automatic?: boolean;
  /** The applications this mail is about: erasure and retention cancel or scrub it with them. */
  applicationIds?: number[];
};

export type MailTransport = Pick<Transporter, 'sendMail'>;

/**
 * Mails to candidates wait this long before they leave, so the page that caused them can
 * offer to cancel the sending (pipeline/candidate-mails.ts).
 */
export const CANDIDATE_MAIL_UNDO_MS = 5 * 60_000;

/**
 * Queues a mail. Call it inside the transaction of the action that causes the mail, so the
 * mail exists if and only if the action happened. `delayMs` holds it back (undo window).
 */
export function enqueueMail(db: DB, mail: Mail, now = new Date(), opts: { delayMs?: number } = {}): number {
  const info = db
    .prepare(
      `INSERT INTO outbox (organisation_id, template, to_address, subject, text_body, html_body, attachments, message_id, reply_to, auto_submitted, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      mail.organisationId ?? null,
      mail.template,
      mail.to,
      mail.subject,
      mail.text,
      mail.html,
      JSON.stringify(mail.attachments ?? []),
      newMessageIdPart(),
      mail.replyTo || null,
      mail.automatic === false ? 0 : 1,
      nowIso(new Date(now.getTime() + (opts.delayMs ?? 0))),
      nowIso(now),
    );
  const id = Number(info.lastInsertRowid);
  for (const applicationId of new Set(mail.applicationIds ?? [])) {
    db.prepare('INSERT INTO outbox_applications (outbox_id, application_id) VALUES (?, ?)').run(id, applicationId);
  }
  return id;
}

/** 128 random bits: the local part of a Message-ID, unique across instances and databases. */
function newMessageIdPart(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** The domain of the sender address (`Coordo <no-reply@cpts.example>` gives `cpts.example`). */
export function senderDomain(from: string): string {
  const address = /<([^>]*)>/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
  return /^[a-z0-9.-]+$/.test(domain) && domain.includes('.') ? domain : 'coordo.localhost';
}

/** The Message-ID of an outbox row: its stored random part at the sender's domain, the same on every retry. */
export function messageIdOf(row: { id: number; message_id: string | null }, from: string): string {
  return `<${row.message_id ?? `outbox-${row.id}`}@${senderDomain(from)}>`;
}

/** Wraps a mail's HTML paragraphs in the common, inline-styled layout. */
export function mailLayout(title: string, bodyHtml: string, footer: string, lang: 'fr' | 'en'): string {
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="margin:0;padding:24px;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;color:#1d2733">
<div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p style="margin:0 0 16px;font-weight:bold;color:#0b5394">Coordo</p>
${raw(bodyHtml)}
<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0 12px">
<p style="font-size:12px;color:#57606a">${footer}</p>
</div></body></html>`;
}

/** Plain paragraphs and one call-to-action link, in both text and HTML. */
export function simpleMail(opts: {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  after?: string[];
  footer: string;
  /** The language the mail is written in (the HTML's lang). */
  lang: 'fr' | 'en';
}): { subject: string; text: string; html: string } {
  const after = opts.after ?? [];
  const text = [
    opts.greeting,
    '',
    ...opts.paragraphs.flatMap((p) => [p, '']),
    // French sets the colon apart, English does not.
    ...(opts.action ? [`${opts.action.label}${opts.lang === 'fr' ? ' :' : ':'} ${opts.action.url}`, ''] : []),
    ...after.flatMap((p) => [p, '']),
    '-- ',
    opts.footer,
  ].join('\n');
  const p = (s: string) => `<p style="margin:0 0 12px;line-height:1.5">${escapeHtml(s)}</p>`;
  const body = [
    p(opts.greeting),
    ...opts.paragraphs.map(p),
    opts.action
      ? html`<p style="margin:20px 0"><a href="${opts.action.url}" style="background:#0b5394;color:#ffffff;padding:10px 16px;border-radius:4px;text-decoration:none;display:inline-block">${opts.action.label}</a></p>
<p style="font-size:12px;color:#57606a;word-break:break-all">${opts.action.url}</p>`
      : '',
    ...after.map(p),
  ].join('\n');
  return { subject: opts.subject, text, html: mailLayout(opts.subject, body, escapeHtml(opts.footer), opts.lang) };
}

export function createTransport(smtpUrl: string): MailTransport {
  return nodemailer.createTransport(smtpUrl);
}

const MAX_ATTEMPTS = 8;
const LEASE_MS = 2 * 60_000;

/** 30 s, 1 min, 2 min ... capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

type OutboxRow = {
  id: number;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  attachments: string;
  attempts: number;
  message_id: string | null;
  reply_to: string | null;
  auto_submitted: number;
};

/**
 * Delivers due mail. Each row is claimed (status 'sending' with a lease) before the SMTP call,
 * so two senders never send the same row at once, and a sender that dies mid-send leaves a
 * lease that expires: the row is retried (delivered at least once) and marked sent once.
 * The Message-ID is fixed when the row is queued (random, at the sender's domain), so a
 * receiving server can drop a retried duplicate and two instances never share one.
 */
export async function deliverDueMail(
  db: DB,
  transport: MailTransport,
  opts: { from: string; now?: () => Date; limit?: number; logger?: Logger },
): Promise<{ sent: number; failed: number }> {
  const now = opts.now ?? (() => new Date());
  const due = db
    .prepare(
      `SELECT id FROM outbox
       WHERE (status = 'pending' AND next_attempt_at <= @now)
          OR (status = 'sending' AND lease_until < @now)
       ORDER BY id LIMIT @limit`,
    )
    .all({ now: nowIso(now()), limit: opts.limit ?? 50 }) as { id: number }[];
  const claim = db.prepare(
    `UPDATE outbox SET status = 'sending', lease_until = @lease, attempts = attempts + 1
     WHERE id = @id AND ((status = 'pending' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until < @now))
     RETURNING id, to_address, subject, text_body, html_body, attachments, attempts, message_id, reply_to, auto_submitted`,
  );
  const markSent = db.prepare(
    `UPDATE outbox SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL WHERE id = ? AND status = 'sending'`,
  );
  const markFailed = db.prepare(
    `UPDATE outbox SET status = ?, next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND status = 'sending'`,
  );
  let sent = 0;
  let failed = 0;
  for (const { id } of due) {
    const t = now();
    const row = claim.get({ id, now: nowIso(t), lease: nowIso(new Date(t.getTime() + LEASE_MS)) }) as OutboxRow | undefined;
    if (!row) continue;
    try {
      await transport.sendMail({
        from: opts.from,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        attachments: (JSON.parse(row.attachments) as MailAttachment[]).map((a) => ({
          filename: a.filename,
          content: a.content,
          contentType: a.contentType,
        })),
        messageId: messageIdOf(row, opts.from),
        ...(row.reply_to ? { replyTo: row.reply_to } : {}),
        ...(row.auto_submitted === 1 ? { headers: { 'Auto-Submitted': 'auto-generated' } } : {}),
      });
      markSent.run(nowIso(now()), row.id);
      sent++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const giveUp = row.attempts >= MAX_ATTEMPTS;
      markFailed.run(giveUp ? 'failed' : 'pending', nowIso(new Date(now().getTime() + backoffMs(row.attempts))), message.slice(0, 500), row.id);
      failed++;
      opts.logger?.warn('mail delivery failed', { outboxId: row.id, attempts: row.attempts, error: message });
    }
  }
  return { sent, failed };
}
