/**
 * Property (DESIGN.md, "A candidate's data changes only with proof"): whatever a visitor without
 * proof posts, to every state-changing route of the app (read from its router, not a list),
 * urlencoded or multipart, with a valid CSRF token of a fresh visitor session, the e-mail of
 * existing applications at CPTS A and CPTS B and other identity values, every existing
 * application, candidate, document, link and event row stays exactly as it was, and so do the
 * stored files. New rows may appear only for new applications (a public form creates), plus the
 * fresh private link mailed to an address that applied again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { anonymous, csrfFrom } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { tableRows, type Rows } from '../helpers/db-snapshot.js';
import { createWorld } from '../helpers/factories.js';
import { fillPath, stateChangingRoutes } from '../helpers/routes.js';
import { docxFile, pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, cv, VALID_FIELDS } from './support.js';

const TABLES = ['candidates', 'applications', 'application_documents', 'application_links', 'application_events', 'pipeline_cards', 'pipeline_moves'] as const;

function byId(rows: Rows): Map<unknown, Record<string, unknown>> {
  return new Map(rows.map((r) => [r.id ?? r.application_id, r]));
}

describe('property: no state-changing route lets an unverified visitor change an existing application', function () {
  this.timeout(180_000);
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let postingA: { id: number; slug: string };
  let postingB: { id: number; slug: string };
  const emailA = 'camille.martin@exemple.test';
  const emailB = 'dominique.durand@exemple.test';
  before(async () => {
    ctx = createTestContext({ APPLY_RATE_LIMIT: '100000' });
    world = await createWorld(ctx.db);
    postingA = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    postingB = publishedPosting(ctx.db, world.bureauB.id, world.orgB.id);
    // Real applications through the form: at A (emailA), at B (emailB) and at B with A's address.
    const docs = [cv(), { field: 'other_document', data: await docxFile(), filename: 'Lettre.docx' }];
    for (const [slug, email, first] of [
      [postingA.slug, emailA, 'Camille'],
      [postingB.slug, emailB, 'Dominique'],
      [postingB.slug, emailA, 'Camille'],
    ] as const) {
      const res = await apply(anonymous(ctx.app), slug, { ...VALID_FIELDS, email, first_name: first, talent_pool: '1' }, docs);
      expect(res.status, 'set-up application').to.be.below(400);
    }
  });
  after(() => ctx.close());

  const fileHashes = () => {
    const dir = path.join(ctx.config.uploadDir, 'applications');
    return new Map(
      (ctx.db.prepare('SELECT stored_name FROM application_documents').pluck().all() as string[]).map((n) => [n, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, n))).digest('hex')]),
    );
  };

  it('when every such route is posted with their e-mails and hostile identities then every existing row and file is unchanged', async () => {
    const before = tableRows(ctx.db, TABLES);
    const filesBefore = fileHashes();
    const existingApps = new Set(before.applications.map((a) => a.id));
    expect(existingApps.size).to.equal(3);
    const appAt = (orgId: number) => before.applications.find((a) => a.organisation_id === orgId)!.id as number;
    const routes = stateChangingRoutes(ctx.app);
    expect(routes.map((r) => r.path)).to.include.members(['/offres/:slug/postuler', '/candidature/:token/documents', '/candidature/:token/message']);

    const hostile = (email: string) => ({
      email,
      first_name: 'Usurpateur',
      last_name: '<script>alert(1)</script>',
      phone: '+33 9 99 99 99 99',
      message: 'Message réécrit par un inconnu',
      source: 'other',
      talent_pool: '0',
      kind: 'cv',
      confirm: '1',
      name: 'Usurpateur',
      website: '',
    });
    const combos = [
      { slug: postingA.slug, postingId: postingA.id, orgId: world.orgA.id, email: emailA },
      { slug: postingB.slug, postingId: postingB.id, orgId: world.orgB.id, email: emailA },
      { slug: postingA.slug, postingId: postingA.id, orgId: world.orgA.id, email: emailB },
    ];
    let posted = 0;
    for (const route of routes) {
      // A fresh visitor: a session of its own and the CSRF token its form would carry.
      const agent = anonymous(ctx.app);
      const token = csrfFrom((await agent.get(`/offres/${postingA.slug}/postuler`)).text);
      for (const c of combos) {
        const appId = appAt(c.orgId);
        const url = fillPath(route.path, { slug: c.slug, token: crypto.randomBytes(32).toString('base64url'), postingId: c.postingId, orgId: c.orgId, id: appId, applicationId: appId }, appId);
        const fields = { _csrf: token, ...hostile(c.email) };
        const send = async (kind: 'form' | 'cv' | 'document') => {
          let req = agent.post(url);
          if (kind === 'form') return req.type('form').send(fields);
          for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
          return req.attach(kind, pdfFile('Usurpateur'), { filename: 'usurpateur.pdf', contentType: 'application/pdf' });
        };
        for (const kind of ['form', 'cv', 'document'] as const) {
          const res = await send(kind);
          expect(res.status, `${kind} ${route.method} ${url}`).to.be.below(500);
          posted++;
        }
      }
    }
    expect(posted).to.equal(routes.length * combos.length * 3);

    const after = tableRows(ctx.db, TABLES);
    for (const table of TABLES) {
      const now = byId(after[table]);
      for (const row of before[table]) expect(now.get(row.id ?? row.application_id), `${table} ${String(row.id)}`).to.deep.equal(row);
    }
    // New rows only for new applications; an existing application only gains fresh links.
    const added = (table: (typeof TABLES)[number]) => after[table].filter((r) => !before[table].some((b) => (b.id ?? b.application_id) === (r.id ?? r.application_id)));
    for (const table of ['application_documents', 'application_events', 'pipeline_moves'] as const) {
      expect(added(table).filter((r) => existingApps.has(r.application_id)), table).to.deep.equal([]);
    }
    for (const c of added('candidates')) {
      const app = after.applications.find((a) => a.candidate_id === c.id);
      expect(existingApps.has(app?.id)).to.equal(false);
    }
    expect(added('application_links').every((l) => l.revoked_at === null)).to.equal(true);
    // The stored files of existing documents are byte for byte the same.
    const filesAfter = fileHashes();
    for (const [name, hash] of filesBefore) expect(filesAfter.get(name), name).to.equal(hash);
  });
});
