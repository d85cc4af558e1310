import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createBackup, restoreBackup } from '../../server/core/backup.js';
import { openDatabase } from '../../server/core/db.js';
import { enqueueMail, simpleMail } from '../../server/core/mailer.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('operations: online backup and restore', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = createTestContext();
    await createWorld(ctx.db);
    enqueueMail(ctx.db, { template: 't', to: 'a@example.test', ...simpleMail({ lang: 'fr', subject: 'S', greeting: 'G', paragraphs: [], footer: 'F' }) });
    fs.mkdirSync(path.join(ctx.config.uploadDir, 'ab'), { recursive: true });
    fs.writeFileSync(path.join(ctx.config.uploadDir, 'ab', 'cv-1.pdf'), '%PDF-1.4 test document');
    fs.writeFileSync(path.join(ctx.config.uploadDir, 'lettre.odt'), crypto.randomBytes(2048));
    fs.mkdirSync(path.join(ctx.config.uploadDir, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(ctx.config.uploadDir, 'tmp', 'partial-upload'), 'in progress');
  });
  after(() => ctx.close());

  it('when a backup is taken while the database is open and restored into a fresh folder then every row and file is there', async () => {
    const backupDir = path.join(ctx.dir, 'backup-1');
    const manifest = await createBackup(ctx.db, ctx.config.uploadDir, backupDir);
    expect(manifest.files.map((f) => f.path).sort()).to.deep.equal([path.join('ab', 'cv-1.pdf'), 'lettre.odt']);
    // The app keeps writing after the snapshot; those rows are not in this backup.
    ctx.db.prepare("INSERT INTO regions (name, slug, created_at) VALUES ('Après', 'apres', '2026-01-01')").run();

    const restored = path.join(ctx.dir, 'restored');
    restoreBackup(backupDir, restored);
    const db = openDatabase(path.join(restored, 'coordo.db'));
    for (const [table, count] of Object.entries(manifest.tables)) {
      expect((db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n, table).to.equal(count);
    }
    expect(db.prepare("SELECT 1 FROM regions WHERE slug = 'apres'").get()).to.equal(undefined);
    expect(db.pragma('user_version', { simple: true })).to.equal(ctx.db.pragma('user_version', { simple: true }));
    db.close();
    for (const rel of [path.join('ab', 'cv-1.pdf'), 'lettre.odt']) {
      expect(hash(path.join(restored, 'uploads', rel))).to.equal(hash(path.join(ctx.config.uploadDir, rel)));
    }
    expect(fs.existsSync(path.join(restored, 'uploads', 'tmp'))).to.equal(false);
  });

  it('when restoring over an existing database without --force then it refuses', async () => {
    const backupDir = path.join(ctx.dir, 'backup-2');
    await createBackup(ctx.db, ctx.config.uploadDir, backupDir);
    expect(() => restoreBackup(backupDir, ctx.dir)).to.throw(/exists/);
  });

  it('when a backed-up file was altered then the restore refuses it', async () => {
    const backupDir = path.join(ctx.dir, 'backup-3');
    await createBackup(ctx.db, ctx.config.uploadDir, backupDir);
    fs.writeFileSync(path.join(backupDir, 'uploads', 'lettre.odt'), 'tampered');
    expect(() => restoreBackup(backupDir, path.join(ctx.dir, 'restored-3'))).to.throw(/hash/);
  });
});
