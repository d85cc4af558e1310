import { expect } from 'chai';
import { anonymous } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, VALID_FIELDS } from '../applications/support.js';
import { as, post } from '../evaluation/fixtures.js';

type Row = { id: number; template: string; to_address: string; reply_to: string | null; auto_submitted: number; message_id: string };

describe('outbox: each mail knows its Reply-To, whether it is automatic, and the applications it is about', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  after(() => ctx.close());

  const rows = () => ctx.db.prepare('SELECT id, template, to_address, reply_to, auto_submitted, message_id FROM outbox ORDER BY id').all() as Row[];
  const linked = (id: number) => ctx.db.prepare('SELECT application_id FROM outbox_applications WHERE outbox_id = ?').pluck().all(id);

  it('when someone applies then the receipt answers to the posting’s contact and is automatic; the bureau’s notice has no Reply-To', async () => {
    const posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    expect((await apply(anonymous(ctx.app), posting.slug)).status).to.equal(303);
    const applicationId = ctx.db.prepare('SELECT id FROM applications').pluck().get() as number;
    const ack = rows().find((r) => r.template === 'applications.ack')!;
    expect(ack).to.include({ to_address: VALID_FIELDS.email, reply_to: 'recrutement@cpts.test', auto_submitted: 1 });
    expect(linked(ack.id)).to.deep.equal([applicationId]);
    const notice = rows().find((r) => r.template === 'applications.bureau')!;
    expect(notice).to.include({ to_address: world.bureauA.email, reply_to: null, auto_submitted: 1 });
    expect(linked(notice.id)).to.deep.equal([applicationId]);
    expect(new Set(rows().map((r) => r.message_id)).size).to.equal(rows().length);

    // A mail the bureau chooses to send to the candidate: Reply-To the contact, not automatic.
    const stage = (key: string) => ctx.db.prepare('SELECT id FROM pipeline_stages WHERE posting_id = ? AND stage_key = ?').pluck().get(posting.id, key) as number;
    const bureau = await as(ctx.app, world.bureauA.email);
    await post(bureau, `/recrutement/candidatures/${applicationId}/deplacer`, { stage_id: stage('screening'), expected_stage_id: stage('new') });
    expect((await post(bureau, `/recrutement/candidatures/${applicationId}/deplacer`, { stage_id: stage('interview'), expected_stage_id: stage('screening'), send_mail: '1' })).status).to.be.oneOf([302, 303]);
    const invitation = rows().find((r) => r.template === 'candidate.interview')!;
    expect(invitation).to.include({ to_address: VALID_FIELDS.email, reply_to: 'recrutement@cpts.test', auto_submitted: 0 });
    expect(linked(invitation.id)).to.deep.equal([applicationId]);
  });
});
