/**
 * The board kept per posting and viewer under the posting's revision (pipeline/board.ts,
 * migration 035) against a fresh one: after every step of a random sequence of writes (new
 * applications, moves, a card's place or identity changing, documents added and removed,
 * identity reveals by either viewer, the screening setting and a stage's anonymity toggled,
 * names changed, applications erased), the board each viewer gets through the cache equals the
 * board computed with the cache emptied, names and the anonymity verdict included.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { nowIso } from '../../server/core/db.js';
import { boardOf, forgetBoards } from '../../server/features/pipeline/board.js';
import { seededRandom as prng } from '../../server/features/calibration/alpha.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { createApplication, createPosting, stagesOf } from './fixtures.js';


describe('pipeline: the board kept per posting and viewer equals a fresh one after any writes', () => {
  let ctx: TestContext | undefined;
  afterEach(() => ctx?.close());

  for (const seed of [1, 2, 3]) {
    it(`when a random sequence of writes runs (seed ${seed}) then each viewer's kept board equals the fresh one`, async () => {
      const test = (ctx = createTestContext());
      const db = test.db;
      const rnd = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const world = await createWorld(db);
      const posting = createPosting(db, world.orgA.id, { anonymised: true });
      const viewers = [loadActor(db, world.bureauA.id)!, loadActor(db, world.chargeA.id)!];
      const stages = stagesOf(db, posting.id);
      const apps = () => db.prepare('SELECT id FROM applications WHERE posting_id = ?').pluck().all(posting.id) as number[];
      for (let i = 0; i < 8; i++) createApplication(db, posting);
      let minute = 0;
      const at = () => new Date(Date.UTC(2026, 5, 1) + ++minute * 60_000).toISOString();

      const ops: [string, () => void][] = [
        ['application', () => void createApplication(db, posting)],
        ['move', () => {
          const a = apps();
          if (a.length) db.prepare('UPDATE pipeline_cards SET stage_id = ?, entered_at = ? WHERE application_id = ?').run(pick(stages).id, at(), pick(a));
        }],
        ['place in the column', () => {
          const a = apps();
          if (a.length) db.prepare('UPDATE pipeline_cards SET entered_at = ? WHERE application_id = ?').run(at(), pick(a));
        }],
        ['identity opened or closed', () => {
          const a = apps();
          if (a.length) db.prepare('UPDATE pipeline_cards SET identity_open = 1 - identity_open WHERE application_id = ?').run(pick(a));
        }],
        ['document added', () => {
          const a = apps();
          if (!a.length) return;
          db.prepare(
            `INSERT INTO application_documents (application_id, organisation_id, kind, stored_name, original_name, file_type, size_bytes, sha256, created_at)
             VALUES (?, ?, 'other', ?, 'lettre.pdf', 'pdf', 10, 'x', ?)`,
          ).run(pick(a), world.orgA.id, crypto.randomBytes(12).toString('hex'), nowIso());
        }],
        ['document removed', () => {
          const ids = db.prepare('SELECT id FROM application_documents').pluck().all() as number[];
          if (ids.length) db.prepare('DELETE FROM application_documents WHERE id = ?').run(pick(ids));
        }],
        ['identity revealed', () => {
          const a = apps();
          if (!a.length) return;
          const viewer = pick(viewers);
          db.prepare("INSERT INTO pipeline_reveals (organisation_id, application_id, user_id, user_name, what, created_at) VALUES (?, ?, ?, ?, 'identity', ?)").run(world.orgA.id, pick(a), viewer.id, viewer.name, nowIso());
        }],
        ['reveal gone', () => {
          const ids = db.prepare('SELECT id FROM pipeline_reveals').pluck().all() as number[];
          if (ids.length) db.prepare('DELETE FROM pipeline_reveals WHERE id = ?').run(pick(ids));
        }],
        ['screening setting', () => {
          db.prepare(
            `INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, ?)
             ON CONFLICT (posting_id) DO UPDATE SET anonymised = 1 - anonymised`,
          ).run(posting.id, world.orgA.id, nowIso());
        }],
        ['stage anonymity', () => {
          db.prepare('UPDATE pipeline_stages SET anonymised = 1 - anonymised WHERE id = ?').run(pick(stages).id);
        }],
        ['name changed', () => {
          const a = apps();
          if (a.length) db.prepare('UPDATE candidates SET last_name = ? WHERE id = (SELECT candidate_id FROM applications WHERE id = ?)').run(`Nom${Math.floor(rnd() * 1000)}`, pick(a));
        }],
        ['erased', () => {
          const a = apps();
          if (a.length > 3) db.prepare('DELETE FROM applications WHERE id = ?').run(pick(a));
        }],
      ];
      const seen = new Set<string>();
      let masked = 0;
      let named = 0;
      for (let step = 0; step < 200; step++) {
        const [name, op] = pick(ops);
        op();
        seen.add(name);
        // A small column limit, so that the place in a column decides which cards show.
        const boards = () => viewers.map((v) => boardOf(db, v, posting.id, 3).columns.map((c) => ({ stage: c.stage.id, total: c.total, more: c.more, cards: c.cards })));
        const kept = boards();
        forgetBoards(db);
        const fresh = boards();
        expect(kept, `after step ${step} (${name}), seed ${seed}`).to.deep.equal(fresh);
        expect(boards(), 'read again through the cache').to.deep.equal(fresh);
        for (const card of fresh.flat().flatMap((c) => c.cards)) {
          if (card.masked) masked++;
          else if (card.full_name) named++;
        }
      }
      expect(seen.size, 'every kind of write ran').to.equal(ops.length);
      expect(masked, 'masked cards were shown').to.be.greaterThan(0);
      expect(named, 'named cards were shown').to.be.greaterThan(0);
    });
  }

  it('when a card is masked then it carries no name, not even in memory for the page', async () => {
    const test = (ctx = createTestContext());
    const world = await createWorld(test.db);
    const posting = createPosting(test.db, world.orgA.id, { anonymised: true });
    createApplication(test.db, posting, { lastName: 'Discrète' });
    const board = boardOf(test.db, loadActor(test.db, world.bureauA.id)!, posting.id);
    const cards = board.columns.flatMap((c) => c.cards);
    expect(cards).to.have.length(1);
    expect(cards[0]).to.include({ masked: 1, full_name: '' });
  });
});
