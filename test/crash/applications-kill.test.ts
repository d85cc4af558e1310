/**
 * Crash safety of the apply route: the real server (child process) receives concurrent
 * applications with files and is killed with SIGKILL at a random moment, then restarted.
 * Whatever the kill point: every application that was answered "sent" is in the database with
 * its file intact, no row points at a missing file, and the start-up clean-up leaves no orphan
 * file (nor temp upload) behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { migrate, openDatabase } from '../../server/core/db.js';
import { documentsDir, tempRoot } from '../../server/features/applications/files.js';
import { pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { createOrganisation, createRegion, createUser } from '../helpers/factories.js';
import { CookieClient, csrfIn, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const CONCURRENT = Number(process.env.CRASH_CONCURRENCY ?? 12);
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);

type Sent = { email: string; sha256: string; ok: boolean };

function sha256(buf: Buffer): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/** One candidate's whole journey: get the form (token + cookie), post it with a unique CV. */
async function applyOnce(server: ServerProcess, slug: string, email: string, size: number): Promise<Sent> {
  // A real PDF head and random bytes after it: unique content, so hashes tell files apart.
  const cv = Buffer.concat([pdfFile(email), crypto.randomBytes(size)]);
  const sent: Sent = { email, sha256: sha256(cv), ok: false };
  try {
    const client = new CookieClient(server.url);
    const form = await client.fetch(`/offres/${slug}/postuler`);
    const token = csrfIn(await form.text());
    const body = new FormData();
    body.set('_csrf', token);
    body.set('first_name', 'Crash');
    body.set('last_name', email.split('@')[0]);
    body.set('email', email);
    body.set('phone', '06 12 34 56 78');
    body.set('message', 'Candidature envoyée pendant un arrêt brutal.');
    body.set('source', 'board');
    body.set('cv', new Blob([cv], { type: 'application/pdf' }), 'cv.pdf');
    const res = await client.fetch(`/offres/${slug}/postuler`, { method: 'POST', body });
    await res.arrayBuffer();
    // Accepted: the form answers 303 to its confirmation page (POST-redirect-GET).
    sent.ok = res.status === 303 && res.headers.get('location') === `/offres/${slug}/postuler/envoyee`;
  } catch {
    // The connection died with the server: not a success, so nothing is promised.
  }
  return sent;
}

/**
 * An application whose upload is certainly in flight when the server is killed: it sends the
 * form and the first half of its CV, then waits. Uploads got fast enough that a kill at a random
 * moment could find every application answered; this one always leaves a half-written file for
 * the start-up clean-up. Resolves (never answered) once the connection dies.
 */
async function stalledApplication(server: ServerProcess, slug: string, email: string): Promise<{ sent: Sent; uploading: Promise<void>; closed: Promise<void> }> {
  const client = new CookieClient(server.url);
  const token = csrfIn(await (await client.fetch(`/offres/${slug}/postuler`)).text());
  const boundary = `----crash-${crypto.randomBytes(6).toString('hex')}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const cv = Buffer.concat([pdfFile(email), crypto.randomBytes(400_000)]);
  const head = Buffer.from(
    [field('_csrf', token), field('first_name', 'Crash'), field('last_name', 'Stalled'), field('email', email), field('source', 'board')].join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`/offres/${slug}/postuler`, server.url);
  const req = http.request(url, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + cv.length + tail.length), cookie: client.cookieHeader() },
  });
  const sent: Sent = { email, sha256: sha256(cv), ok: false };
  const closed = new Promise<void>((resolve) => {
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.on('response', (res) => {
      sent.ok = res.statusCode === 303;
      res.resume();
    });
  });
  const uploading = new Promise<void>((resolve) => req.write(Buffer.concat([head, cv.subarray(0, cv.length / 2)]), () => resolve()));
  // Written, then a moment for the server to have streamed it to its file.
  return { sent, uploading: uploading.then(() => new Promise<void>((r) => setTimeout(r, 100))), closed };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('crash safety: SIGKILL during concurrent applications, then restart', function () {
  this.timeout(120_000);
  let dataDir: string;
  let slug: string;
  let server: ServerProcess | undefined;
  const allSent: Sent[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-crash-'));
    const db = openDatabase(path.join(dataDir, 'coordo.db'));
    migrate(db);
    const region = createRegion(db, 'Région Crash');
    const org = createOrganisation(db, region.id, { name: 'CPTS Crash' });
    const bureau = await createUser(db, { memberships: [{ organisationId: org.id, role: 'bureau' }] });
    const posting = publishedPosting(db, bureau.id, org.id);
    slug = (db.prepare('SELECT slug FROM postings WHERE id = ?').get(posting.id) as { slug: string }).slug;
    db.close();
  });

  after(async () => {
    await server?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`when killed at a random point (round ${round}) then every answered application survives whole and nothing is orphaned`, async () => {
      if (round === 1) {
        // Leftovers of an earlier crash, planted so the start-up clean-up is exercised on every run:
        // a document whose row never committed, and a half-received upload.
        const uploads = path.join(dataDir, 'uploads');
        fs.mkdirSync(documentsDir(uploads), { recursive: true });
        fs.writeFileSync(path.join(documentsDir(uploads), crypto.randomBytes(24).toString('hex')), pdfFile('orphelin'));
        fs.mkdirSync(path.join(tempRoot(uploads), 'upload-planted'), { recursive: true });
        fs.writeFileSync(path.join(tempRoot(uploads), 'upload-planted', 'part'), 'half a file');
      }
      server = await startServerProcess(dataDir, { APPLY_RATE_LIMIT: '10000' });
      // Kill points spread across the rounds: early (mid-upload), middle, late (after commits).
      const killAfterMs = Math.round(((round - 1) / Math.max(1, ROUNDS - 1)) * 500 + Math.random() * 150);
      const inFlight = Array.from({ length: CONCURRENT }, (_, i) =>
        applyOnce(server!, slug, `crash-r${round}-${i}-${crypto.randomBytes(3).toString('hex')}@exemple.test`, 200_000 + i * 40_000),
      );
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      let stalled: { sent: Sent; uploading: Promise<void>; closed: Promise<void> } | undefined;
      if (round === ROUNDS) {
        // The last round is cut after some applications were answered, however slow the machine,
        // and while one is certainly mid-upload: the kill point then always falls among answered
        // and in-flight ones.
        let answered: () => void = () => {};
        const first = new Promise<void>((resolve) => (answered = resolve));
        inFlight.forEach((p) => void p.then((s) => s.ok && answered()));
        stalled = await stalledApplication(server, slug, `crash-r${round}-stalled@exemple.test`);
        await Promise.all([stalled.uploading, Promise.race([first, new Promise((resolve) => setTimeout(resolve, 30_000))])]);
      }
      await server.kill();
      const results = await Promise.all(inFlight);
      allSent.push(...results);
      if (stalled) {
        await stalled.closed;
        allSent.push(stalled.sent);
      }

      // Restart: the start-up clean-up runs before the server listens.
      server = await startServerProcess(dataDir);
      await server.stop();
      server = undefined;

      const db = openDatabase(path.join(dataDir, 'coordo.db'));
      try {
        for (const s of allSent.filter((x) => x.ok)) {
          const doc = db
            .prepare(
              `SELECT d.stored_name, d.sha256 FROM application_documents d
               JOIN applications a ON a.id = d.application_id JOIN candidates c ON c.id = a.candidate_id
               WHERE c.email = ?`,
            )
            .get(s.email) as { stored_name: string; sha256: string } | undefined;
          expect(doc, `application of ${s.email} answered "sent" but missing`).to.not.equal(undefined);
          expect(doc!.sha256).to.equal(s.sha256);
          expect(sha256(fs.readFileSync(path.join(documentsDir(path.join(dataDir, 'uploads')), doc!.stored_name)))).to.equal(s.sha256);
        }
        const rows = db.prepare('SELECT stored_name, sha256 FROM application_documents').all() as { stored_name: string; sha256: string }[];
        const docsDir = documentsDir(path.join(dataDir, 'uploads'));
        for (const r of rows) {
          const file = path.join(docsDir, r.stored_name);
          expect(fs.existsSync(file), `row points at missing file ${r.stored_name}`).to.equal(true);
          expect(sha256(fs.readFileSync(file))).to.equal(r.sha256);
        }
        const referenced = new Set(rows.map((r) => r.stored_name));
        const orphans = filesUnder(docsDir).filter((f) => !referenced.has(path.basename(f)));
        expect(orphans, 'orphan files after the start-up clean-up').to.deep.equal([]);
        expect(filesUnder(tempRoot(path.join(dataDir, 'uploads'))), 'temp uploads left').to.deep.equal([]);
      } finally {
        db.close();
      }
    });
  }

  it('when all rounds are done then the kill points covered both answered and cut-off applications', () => {
    // Not a property of the app, a check that the test exercised something on both sides.
    expect(allSent.length).to.equal(CONCURRENT * ROUNDS + 1); // and the one stalled mid-upload
    expect(allSent.some((s) => s.ok), 'no application was answered before a kill').to.equal(true);
    expect(allSent.some((s) => !s.ok), 'no application was cut off by a kill').to.equal(true);
  });
});
