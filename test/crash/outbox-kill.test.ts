/**
 * Crash safety of the outbox: the real server (child process, jobs on) sends queued mail to a
 * local SMTP server and is killed with SIGKILL in the middle of sending, then restarted. Every
 * mail is delivered at least once, and a mail marked sent before the kill is never sent (nor
 * marked sent) again: only the one in flight at the kill may arrive twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { migrate, openDatabase } from '../../server/core/db.js';
import { enqueueMail } from '../../server/core/mailer.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const MAILS = 40;
const ROUNDS = 2;

type OutboxState = { id: number; status: string; sent_at: string | null };

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('crash safety: SIGKILL while the outbox is sending, then restart', function () {
  this.timeout(120_000);
  let dataDir: string;
  let dbPath: string;
  let smtp: TestSmtp;
  let server: ServerProcess | undefined;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-crash-mail-'));
    dbPath = path.join(dataDir, 'coordo.db');
    const db = openDatabase(dbPath);
    migrate(db);
    db.close();
    smtp = await startSmtp();
  });

  after(async () => {
    await server?.kill();
    await smtp.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Deliveries of one row, by the Message-ID it was given when queued (the server's MAIL_FROM is the default). */
  const messageIds = new Map<number, string>();
  const deliveries = (id: number) => smtp.received.filter((m) => m.messageId === `<${messageIds.get(id)}@coordo.localhost>`).length;

  for (let round = 1; round <= ROUNDS; round++) {
    it(`when killed after a random number of sent mails (round ${round}) then all arrive and none sent before the kill is sent again`, async () => {
      const db = openDatabase(dbPath);
      const ids: number[] = [];
      for (let i = 0; i < MAILS; i++) {
        ids.push(enqueueMail(db, { template: 'test.crash', to: `dest${round}-${i}@exemple.test`, subject: `Courriel ${round}-${i}`, text: 'Bonjour', html: '<p>Bonjour</p>' }));
      }
      for (const id of ids) messageIds.set(id, (db.prepare('SELECT message_id FROM outbox WHERE id = ?').get(id) as { message_id: string }).message_id);
      db.close();
      const before = smtp.received.length;
      const killAt = 1 + Math.floor(Math.random() * (MAILS / 2));

      server = await startServerProcess(dataDir, { JOBS: 'true', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
      await until(() => smtp.received.length - before >= killAt, 30_000, `${killAt} mails`);
      await server.kill();

      const read = openDatabase(dbPath);
      const afterKill = read.prepare(`SELECT id, status, sent_at FROM outbox WHERE id >= ?`).all(ids[0]) as OutboxState[];
      // The 2-minute leases (the row being sent, the job's) belong to a dead process; expire them
      // as time would, rather than wait two minutes in a test.
      read.prepare(`UPDATE outbox SET lease_until = '1970-01-01T00:00:00.000Z' WHERE status = 'sending'`).run();
      read.prepare(`UPDATE job_leases SET lease_until = '1970-01-01T00:00:00.000Z'`).run();
      read.close();
      const sentBefore = afterKill.filter((r) => r.status === 'sent');
      const deliveredBefore = new Map(ids.map((id) => [id, deliveries(id)]));
      expect(sentBefore.length, 'the kill came before the end of sending').to.be.lessThan(MAILS);

      server = await startServerProcess(dataDir, { JOBS: 'true', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
      const check = openDatabase(dbPath);
      try {
        await until(() => (check.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent'`).get() as { n: number }).n === 0, 30_000, 'every mail sent');
        await until(() => ids.every((id) => deliveries(id) >= 1), 5_000, 'every mail received');
        const final = check.prepare(`SELECT id, status, sent_at FROM outbox WHERE id >= ?`).all(ids[0]) as OutboxState[];
        for (const r of sentBefore) {
          // Marked sent once: same sent_at, and no new delivery after the restart.
          expect(final.find((f) => f.id === r.id)?.sent_at).to.equal(r.sent_at);
          expect(deliveries(r.id), `mail ${r.id} re-sent after restart`).to.equal(deliveredBefore.get(r.id));
        }
        const duplicated = ids.filter((id) => deliveries(id) > 1);
        expect(duplicated.length, 'only the mail in flight at the kill may arrive twice').to.be.at.most(1);
      } finally {
        check.close();
      }
      await server.stop();
      server = undefined;
    });
  }
});
