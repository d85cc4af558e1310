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
      ...simpleMail({ subject, greeting: 'Bonjour Élodie,', paragraphs: ['Voici votre lien « personnel ».'], action: { label: 'Activer', url: 'http://coordo.test/invitation/abc' }, footer: 'Coordo' }),
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
    expect(mail.messageId).to.match(/^<outbox-\d+@coordo\.mail>$/);
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

describe('mail: attachments', function () {
  this.timeout(20_000);
  it('when a queued mail carries a calendar file then the SMTP server receives it as an attachment', async () => {
    const ctx = createTestContext();
    const smtp = await startSmtp();
    try {
      enqueueMail(ctx.db, {
        template: 'test',
        to: 'cal@example.test',
        ...simpleMail({ subject: 'Entretien', greeting: 'Bonjour,', paragraphs: ['Voir le fichier joint.'], footer: 'Coordo' }),
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
