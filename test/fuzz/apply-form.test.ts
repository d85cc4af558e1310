/**
 * Fuzzing the public apply form (multipart): hostile field values, repeated and missing fields,
 * random bytes as files with hostile names. Never a 5xx, escaped output, and a refused
 * submission writes no row and leaves no file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { anonymous, csrfFrom } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { rowCounts } from '../helpers/db-snapshot.js';
import { createWorld } from '../helpers/factories.js';
import { HOSTILE_STRINGS, hasUnescapedPayload, hostileForm } from '../helpers/fuzz.js';
import { pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';

function filesUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

describe('fuzz: the public apply form never answers 5xx, never half-writes, always escapes', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let slug: string;
  before(async () => {
    ctx = createTestContext({ APPLY_RATE_LIMIT: '100000' });
    const world = await createWorld(ctx.db);
    const posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    slug = (ctx.db.prepare('SELECT slug FROM postings WHERE id = ?').get(posting.id) as { slug: string }).slug;
  });
  after(() => ctx.close());

  const text = fc.string({ minLength: 1, maxLength: 40 });
  const fields = hostileForm({
    first_name: text,
    last_name: text,
    email: fc.emailAddress(),
    phone: fc.constantFrom('06 12 34 56 78', '+33 6 12 34 56 78'),
    message: text,
    source: fc.constantFrom('board', 'network', 'other'),
    talent_pool: fc.constantFrom('1', 'on'),
    website: fc.constant(''),
  });
  const fileName = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS.slice(0, 13), 'cv.pdf', 'CV ÉLODIE.PDF', '.pdf'), fc.string({ maxLength: 80 }));
  const fileData = fc.oneof(
    fc.constant(pdfFile()),
    fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
    fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.concat([Buffer.from('%PDF-'), Buffer.from(b)])),
    fc.constantFrom(Buffer.from('PK\u0003\u0004garbage'), Buffer.from('<html><script>alert(1)</script></html>'), Buffer.alloc(0)),
  );
  const upload = fc.record({ field: fc.constantFrom('cv', 'cv', 'other_document', 'photo'), name: fileName, data: fileData });

  it('when random fields and files are posted then no 5xx, escaped page, and refused ones leave no row nor file', async () => {
    const agent = anonymous(ctx.app);
    const token = csrfFrom((await agent.get(`/offres/${slug}/postuler`)).text);
    await fc.assert(
      fc.asyncProperty(fields, fc.array(upload, { maxLength: 3 }), fc.boolean(), async (body, files, withToken) => {
        const rows = rowCounts(ctx.db);
        const stored = filesUnder(ctx.config.uploadDir);
        let req = agent.post(`/offres/${slug}/postuler`);
        if (withToken) req = req.field('_csrf', token);
        for (const [k, v] of Object.entries(body)) {
          const values = Array.isArray(v) ? v : [v];
          for (const one of values) req = req.field(k, typeof one === 'string' ? one : JSON.stringify(one));
        }
        for (const f of files) req = req.attach(f.field, f.data, { filename: f.name || 'x', contentType: 'application/octet-stream' });
        const res = await req;
        expect(res.status, JSON.stringify(body).slice(0, 300)).to.be.below(500);
        expect(hasUnescapedPayload(res.text)).to.equal(false);
        if (res.status >= 400) {
          expect(rowCounts(ctx.db)).to.deep.equal(rows);
          expect(filesUnder(ctx.config.uploadDir)).to.equal(stored);
        } else {
          // Accepted: every document row has its file, and the temp folder is empty.
          const docs = (ctx.db.prepare('SELECT COUNT(*) AS n FROM application_documents').get() as { n: number }).n;
          expect(filesUnder(path.join(ctx.config.uploadDir, 'applications'))).to.equal(docs);
          expect(filesUnder(path.join(ctx.config.uploadDir, 'tmp'))).to.equal(0);
        }
      }),
      { numRuns: 150, seed: 20261124 },
    );
  });
});
