import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { as, post } from '../evaluation/fixtures.js';
import { inDays, schedulingWorld } from './fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;

function book(file: string, applicationId: number, slotId: number, barrier: SharedArrayBuffer, parties: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit the TypeScript loader: it loads the script through tsx's API.
    const script = new URL('./book-worker.ts', import.meta.url).href;
    const worker = new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(script)}, ${JSON.stringify(import.meta.url)}))`, {
      eval: true,
      workerData: { file, applicationId, slotId, barrier, parties },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('scheduling: two candidates on one slot at the same moment', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let w: World;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when two processes book the same slot simultaneously then exactly one gets it and the other is told it is taken', async () => {
    const poll = `/recrutement/offres/${w.posting.id}/disponibilites`;
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll}/creneaux`, { dates: [inDays(10)], from: '14:00', to: '14:45', duration: '45', gap: '0', mode: 'video', video_url: 'https://visio.example.test/jury' });
    const { id: slotId } = ctx.db.prepare('SELECT id FROM scheduling_slots').get() as { id: number };
    for (const who of [w.chargeA.email, w.bureauA.email]) await post(await as(ctx.app, who), `${poll}/reponses`, { [`answer_${slotId}`]: 'yes' });
    expect((await post(bureau, `${poll}/candidats`, { applications: [String(w.a1.id), String(w.a2.id)] })).status).to.equal(303);

    for (let round = 0; round < 3; round++) {
      const barrier = new SharedArrayBuffer(4);
      const outcomes = await Promise.all([book(ctx.config.databasePath, w.a1.id, slotId, barrier, 2), book(ctx.config.databasePath, w.a2.id, slotId, barrier, 2)]);
      if (round === 0) expect(outcomes.sort()).to.deep.equal(['booked', 'taken']);
      else expect(outcomes.filter((o) => o === 'booked'), 'the holder choosing it again changes nothing').to.have.length(1);
      expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM scheduling_bookings').get()).to.deep.equal({ n: 1 });
      expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM interviews WHERE status = 'scheduled'").get()).to.deep.equal({ n: 1 });
    }
    const holder = ctx.db.prepare('SELECT i.application_id FROM scheduling_bookings b JOIN scheduling_invitations i ON i.id = b.invitation_id').get() as { application_id: number };
    const interview = ctx.db.prepare('SELECT application_id FROM interviews').get() as { application_id: number };
    expect(interview.application_id).to.equal(holder.application_id);
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE template = 'interviews.scheduled'").get(), 'one set of invitations').to.deep.equal({ n: 3 });
  });
});
