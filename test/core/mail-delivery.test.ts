import { expect } from 'chai';
import nodemailer from 'nodemailer';
import { deliverDueMail, enqueueMail, simpleMail } from '../../server/core/mailer.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

type Row = { status: string; attempts: number; next_attempt_at: string; sent_at: string | null };

describe('mail: outbox delivered through a real SMTP server', function () {
  this.timeout(20_000);
  let ctx: TestContext;
  let smtp: TestSmtp | undefined;
  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(async () => {
    await smtp?.stop();
    smtp = undefined;
    ctx.close();
  });

  const queue = (to: string, subject = 'Invitation à rejoindre la CPTS Sud-Loire Vignoble') =>
    enqueueMail(ctx.db, {
      template: 'test',
      to,
      ...simpleMail({ lang: 'fr', subject, greeting: 'Bonjour Élodie,', paragraphs: ['Voici votre lien « personnel ».'], action: { label: 'Activer', url: 'http://coordo.test/invitation/abc' }, footer: 'Coordo' }),
    });

  it('when SMTP is up then the message arrives multipart (text + HTML) with a French subject correctly encoded', async () => {
    smtp = await startSmtp();
    queue('elodie@example.test');
    const result = await deliverDueMail(ctx.db, smtp.transport(), { from: 'Coordo <no-reply@coordo.test>' });
    expect(result).to.deep.equal({ sent: 1, failed: 0 });
    expect(smtp.received).to.have.length(1);
    const mail = smtp.received[0];
    expect(mail.subject).to.equal('Invitation à rejoindre la CPTS Sud-Loire Vignoble');
    expect(mail.text).to.contain('Voici votre lien « personnel ».');
    expect(mail.html).to.be.a('string').and.to.contain('Activer');
    expect(mail.from?.text).to.contain('no-reply@coordo.test');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').to.equal('elodie@example.test');
    const stored = (ctx.db.prepare('SELECT message_id FROM outbox').get() as { message_id: string }).message_id;
    expect(stored).to.match(/^[0-9a-f]{32}$/);
    expect(mail.messageId).to.equal(`<${stored}@coordo.test>`);
    // The raw header is MIME-encoded (RFC 2047), not raw UTF-8.
    const rawSubject = String(mail.headerLines.find((h) => h.key === 'subject')?.line);
    expect(rawSubject).to.match(/=\?UTF-8\?[QB]\?/i);
    const row = ctx.db.prepare('SELECT status, sent_at FROM outbox').get() as Row;
    expect(row.status).to.equal('sent');
    expect(row.sent_at).to.be.a('string');
  });

  it('when SMTP is down then mails stay queued with a backoff, and when it comes back each is delivered exactly once', async () => {
    for (let i = 0; i < 3; i++) queue(`person${i}@example.test`, `Message ${i}`);
    // Nothing listens on this port: connections are refused.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.stop();
    const down = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 1000 });
    const t0 = Date.now() + 1000;
    let now = new Date(t0);
    const clock = () => now;
    const failed = await deliverDueMail(ctx.db, down, { from: 'c@coordo.test', now: clock });
    expect(failed).to.deep.equal({ sent: 0, failed: 3 });
    const rows = ctx.db.prepare('SELECT status, attempts, next_attempt_at FROM outbox').all() as Row[];
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 1 && r.next_attempt_at > now.toISOString())).to.equal(true);

    // Before the backoff has passed nothing is retried.
    smtp = await startSmtp(port);
    expect(await deliverDueMail(ctx.db, smtp.transport(), { from: 'c@coordo.test', now: clock })).to.deep.equal({ sent: 0, failed: 0 });

    now = new Date(t0 + 5 * 60_000);
    expect(await deliverDueMail(ctx.db, smtp.transport(), { from: 'c@coordo.test', now: clock })).to.deep.equal({ sent: 3, failed: 0 });
    // A further run sends nothing again.
    now = new Date(t0 + 60 * 60_000);
    expect(await deliverDueMail(ctx.db, smtp.transport(), { from: 'c@coordo.test', now: clock })).to.deep.equal({ sent: 0, failed: 0 });
    expect(smtp.received.map((m) => m.subject).sort()).to.deep.equal(['Message 0', 'Message 1', 'Message 2']);
    expect((ctx.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'").get() as { n: number }).n).to.equal(3);
  });

  it('when a sender died mid-send then the row is retried after its lease expires', async () => {
    smtp = await startSmtp();
    queue('lease@example.test');
    const t0 = Date.now();
    ctx.db.prepare("UPDATE outbox SET status = 'sending', attempts = 1, lease_until = ?").run(new Date(t0 + 60_000).toISOString());
    const early = await deliverDueMail(ctx.db, smtp.transport(), { from: 'c@coordo.test', now: () => new Date(t0 + 30_000) });
    expect(early.sent).to.equal(0);
    const late = await deliverDueMail(ctx.db, smtp.transport(), { from: 'c@coordo.test', now: () => new Date(t0 + 120_000) });
    expect(late.sent).to.equal(1);
    expect(smtp.received).to.have.length(1);
  });

  it('when delivery keeps failing then the row is marked failed after the last attempt', async () => {
    queue('never@example.test');
    const broken = { sendMail: async () => Promise.reject(new Error('550 mailbox unavailable')) };
    let t = Date.now() + 1000;
    for (let i = 0; i < 10; i++) {
      await deliverDueMail(ctx.db, broken as never, { from: 'c@coordo.test', now: () => new Date(t) });
      t += 2 * 3600_000;
    }
    const row = ctx.db.prepare('SELECT status, attempts, last_error FROM outbox').get() as Row & { last_error: string };
    expect(row.status).to.equal('failed');
    expect(row.attempts).to.equal(8);
    expect(row.last_error).to.contain('550');
  });
});

describe('mail: headers that behave', function () {
  this.timeout(20_000);
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startSmtp();
  });
  after(() => smtp.stop());

  const mail = (extra: Partial<Parameters<typeof enqueueMail>[1]> = {}) => ({
    template: 'test',
    to: 'camille@example.test',
    ...simpleMail({ lang: 'fr', subject: 'Votre candidature', greeting: 'Bonjour,', paragraphs: ['Merci.'], footer: 'Coordo' }),
    ...extra,
  });

  it('when two instances queue their first mail then the Message-IDs differ and carry the sender’s domain', async () => {
    const a = createTestContext();
    const b = createTestContext();
    try {
      enqueueMail(a.db, mail());
      enqueueMail(b.db, mail());
      const before = smtp.received.length;
      await deliverDueMail(a.db, smtp.transport(), { from: 'CPTS <no-reply@cpts-sud-loire.fr>' });
      await deliverDueMail(b.db, smtp.transport(), { from: 'CPTS <no-reply@cpts-sud-loire.fr>' });
      const ids = smtp.received.slice(before).map((m) => m.messageId);
      expect(ids).to.have.length(2);
      expect(ids[0]).to.not.equal(ids[1]);
      for (const id of ids) expect(id).to.match(/^<[0-9a-f]{32}@cpts-sud-loire\.fr>$/);
    } finally {
      a.close();
      b.close();
    }
  });

  it('when a delivery fails and is retried then the retry carries the same Message-ID', async () => {
    const ctx = createTestContext();
    try {
      enqueueMail(ctx.db, mail());
      const seen: string[] = [];
      const flaky = {
        sendMail: async (m: { messageId?: string }) => {
          seen.push(String(m.messageId));
          if (seen.length === 1) throw new Error('421 try again later');
          return {};
        },
      };
      const t = Date.now() + 1000;
      await deliverDueMail(ctx.db, flaky as never, { from: 'c@coordo.test', now: () => new Date(t) });
      await deliverDueMail(ctx.db, flaky as never, { from: 'c@coordo.test', now: () => new Date(t + 3600_000) });
      expect(seen).to.have.length(2);
      expect(seen[0]).to.equal(seen[1]);
      expect((ctx.db.prepare('SELECT status FROM outbox').get() as { status: string }).status).to.equal('sent');
    } finally {
      ctx.close();
    }
  });

  it('when a mail has a Reply-To and is automatic then both headers arrive; a mail a person sends has no Auto-Submitted', async () => {
    const ctx = createTestContext();
    try {
      enqueueMail(ctx.db, mail({ subject: 'Accusé de réception', replyTo: 'contact@cpts.example' }));
      enqueueMail(ctx.db, mail({ subject: 'Invitation à un entretien', automatic: false }));
      const before = smtp.received.length;
      await deliverDueMail(ctx.db, smtp.transport(), { from: 'c@coordo.test' });
      const got = smtp.received.slice(before);
      const receipt = got.find((m) => m.subject === 'Accusé de réception')!;
      const personal = got.find((m) => m.subject === 'Invitation à un entretien')!;
      expect(receipt.replyTo?.text).to.equal('contact@cpts.example');
      expect(receipt.headers.get('auto-submitted')).to.equal('auto-generated');
      expect(personal.headers.has('auto-submitted')).to.equal(false);
      expect(personal.replyTo).to.equal(undefined);
    } finally {
      ctx.close();
    }
  });
});

describe('mail: attachments', function () {
  this.timeout(20_000);
  it('when a queued mail carries a calendar file then the SMTP server receives it as an attachment', async () => {
    const ctx = createTestContext();
    const smtp = await startSmtp();
    try {
      enqueueMail(ctx.db, {
        template: 'test',
        to: 'cal@example.test',
        ...simpleMail({ lang: 'fr', subject: 'Entretien', greeting: 'Bonjour,', paragraphs: ['Voir le fichier joint.'], footer: 'Coordo' }),
        attachments: [{ filename: 'entretien.ics', contentType: 'text/calendar; method=REQUEST', content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n' }],
      });
      await deliverDueMail(ctx.db, smtp.transport(), { from: 'c@coordo.test' });
      const att = smtp.received[0].attachments;
      expect(att).to.have.length(1);
      expect(att[0].filename).to.equal('entretien.ics');
      expect(att[0].contentType).to.equal('text/calendar');
      expect(att[0].content.toString()).to.contain('METHOD:REQUEST');
    } finally {
      await smtp.stop();
      ctx.close();
    }
  });
});
