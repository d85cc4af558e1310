import { expect } from 'chai';
import { nowIso } from '../../server/core/db.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { csrfOf, pageText } from '../helpers/agent.js';
import { as, post, seatPanel } from '../evaluation/fixtures.js';
import { inDays, linkPath, mailsOf, postFrom, schedulingWorld, visitor } from './fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;

describe('scheduling: the panel availability poll', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  const poll = () => `/recrutement/offres/${w.posting.id}/disponibilites`;
  const slotForm = (o: Record<string, unknown> = {}) => ({ dates: [inDays(10), inDays(12)], from: '14:00', to: '16:00', duration: '45', gap: '15', mode: 'place', location: 'Maison de santé de Vertou', ...o });
  const slots = () => ctx.db.prepare("SELECT id, starts_at, ends_at FROM scheduling_slots WHERE status = 'open' ORDER BY starts_at").all() as { id: number; starts_at: string; ends_at: string }[];
  beforeEach(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when the bureau proposes two afternoons of 45 min with 15 min breaks then four slots are cut in Paris time', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    expect((await bureau.get(poll())).status).to.equal(200);
    const res = await post(bureau, `${poll()}/creneaux`, slotForm({ dates: ['2031-06-03', '2031-06-05'] }));
    expect(res.status).to.equal(303);
    expect(slots().map((s) => s.starts_at)).to.deep.equal(['2031-06-03T12:00:00.000Z', '2031-06-03T13:00:00.000Z', '2031-06-05T12:00:00.000Z', '2031-06-05T13:00:00.000Z']);
    expect(slots()[0].ends_at).to.equal('2031-06-03T12:45:00.000Z');
    const page = pageText((await bureau.get(poll())).text);
    expect(page).to.contain('4 créneaux proposés').and.to.contain('3 juin 2031 à 14:00').and.to.contain('quorum non atteint');
  });

  it('when slots are in the past, overlap, are too short or malformed then 422 names the field, keeps the values and writes nothing', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll()}/creneaux`, slotForm());
    const before = slots().length;
    const cases: [Record<string, unknown>, string][] = [
      [{ dates: ['2020-03-03'] }, 'Un des créneaux est déjà passé'],
      [{ dates: [inDays(10)], from: '15:00', to: '17:00' }, 'chevauchent des créneaux déjà proposés'],
      [{ duration: '10' }, 'Un entretien dure au moins 15 minutes.'],
      [{ from: '14:00', to: '14:30', duration: '45', dates: [inDays(20)] }, 'plus courte qu’un entretien'],
      [{ from: '16:00', to: '14:00', dates: [inDays(20)] }, 'L’heure de fin doit être après l’heure de début.'],
      [{ dates: [] }, 'Choisissez au moins un jour.'],
      [{ dates: ['demain'] }, 'Saisissez une date valide.'],
      [{ duration: 'beaucoup' }, 'Indiquez une durée en minutes'],
      [{ mode: 'video', video_url: 'javascript:alert(1)' }, 'commençant par https://'],
      [{ from: '08:00', to: '20:00', duration: '15', gap: '0', dates: [inDays(30), inDays(31)] }, 'plus de 60 créneaux'],
    ];
    for (const [over, message] of cases) {
      const res = await post(bureau, `${poll()}/creneaux`, slotForm(over));
      expect(res.status, message).to.equal(422);
      expect(pageText(res.text), message).to.contain(message);
    }
    const kept = await post(bureau, `${poll()}/creneaux`, slotForm({ duration: '10', location: 'Salle « Émeraude »' }));
    expect(kept.text).to.contain('value="Salle « Émeraude »"');
    expect(slots()).to.have.length(before);
  });

  it('when three panelists answer then the quorum shows per slot, the chair being required, and answers can change', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll()}/creneaux`, slotForm({ dates: [inDays(10)] }));
    const [s1, s2] = slots();
    const charge = await as(ctx.app, w.chargeA.email);
    expect((await post(charge, `${poll()}/reponses`, { [`answer_${s1.id}`]: 'yes', [`answer_${s2.id}`]: 'no' })).status).to.equal(303);
    await post(bureau, `${poll()}/reponses`, { [`answer_${s1.id}`]: 'maybe', [`answer_${s2.id}`]: 'yes' });
    const external = await as(ctx.app, w.external.email);
    await post(external, `${poll()}/reponses`, { [`answer_${s2.id}`]: 'yes' });
    const grid = pageText((await bureau.get(poll())).text);
    // Slot 1: chair yes + bureau maybe = 2 with the chair; slot 2: two yes but the chair said no.
    expect(grid.match(/quorum atteint/g)).to.have.length(1);
    expect(grid).to.contain('Si besoin').and.to.contain('2 disponibles');
    await post(charge, `${poll()}/reponses`, { [`answer_${s2.id}`]: 'maybe' });
    expect(pageText((await bureau.get(poll())).text).match(/quorum atteint/g)).to.have.length(2);
    const mine = (await charge.get(poll())).text;
    expect(mine).to.match(new RegExp(`id="answer-${s2.id}-maybe" name="answer_${s2.id}" value="maybe" checked`));
  });

  it('when the chair is not required and the quorum is three then the settings apply; a quorum above the panel size is refused', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll()}/creneaux`, slotForm({ dates: [inDays(10)] }));
    const [s1] = slots();
    for (const who of [w.bureauA.email, w.external.email]) await post(await as(ctx.app, who), `${poll()}/reponses`, { [`answer_${s1.id}`]: 'yes' });
    expect(pageText((await bureau.get(poll())).text)).not.to.contain('quorum atteint');
    expect((await post(bureau, `${poll()}/reglages`, { quorum: '2', deadline_hours: '12' })).status).to.equal(303);
    expect(pageText((await bureau.get(poll())).text)).to.contain('quorum atteint');
    const tooHigh = await post(bureau, `${poll()}/reglages`, { quorum: '4', chair_required: '1', deadline_hours: '12' });
    expect(tooHigh.status).to.equal(422);
    expect(pageText(tooHigh.text)).to.contain('Le quorum dépasse le nombre de membres du jury.');
    const bad = await post(bureau, `${poll()}/reglages`, { quorum: 'x', deadline_hours: '-1' });
    expect(bad.status).to.equal(422);
    expect(pageText(bad.text)).to.contain('Indiquez un quorum entre 1 et 30.').and.to.contain('Indiquez un délai en heures');
    expect(ctx.db.prepare('SELECT quorum, chair_required, deadline_hours FROM scheduling_polls').get()).to.deep.equal({ quorum: 2, chair_required: 0, deadline_hours: 12 });
  });

  it('when a panelist is taken off the panel then their answers no longer count toward the quorum', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll()}/creneaux`, slotForm({ dates: [inDays(10)] }));
    const [s1] = slots();
    for (const who of [w.chargeA.email, w.bureauA.email]) await post(await as(ctx.app, who), `${poll()}/reponses`, { [`answer_${s1.id}`]: 'yes' });
    expect(pageText((await bureau.get(poll())).text)).to.contain('quorum atteint');
    ctx.db.prepare('DELETE FROM panel_members WHERE posting_id = ? AND user_id = ?').run(w.posting.id, w.bureauA.id);
    expect(pageText((await bureau.get(poll())).text)).not.to.contain('quorum atteint');
  });

  it('when a panelist has another interview or a network event then the poll warns of the clash', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const day = inDays(10);
    await post(bureau, `${poll()}/creneaux`, slotForm({ dates: [day] }));
    const [s1, s2] = slots();
    ctx.db
      .prepare(
        `INSERT INTO network_events (region_id, kind, title, starts_at, duration_minutes, place, agenda, uid, created_by, created_at, updated_at)
         VALUES (?, 'meeting', 'Réunion régionale des coordinations', ?, 30, 'Nantes', '', 'ev-1@coordo', ?, ?, ?)`,
      )
      .run(w.regionA.id, s1.starts_at, w.chargeA.id, nowIso(), nowIso());
    seatPanel(ctx.db, w.other.id, w.orgA.id, [{ id: w.bureauA.id, chair: true }]);
    const other = await post(bureau, `/recrutement/candidatures/${w.b1.id}/entretiens`, { date: day, start_time: '15:10', end_time: '15:40', mode: 'place', location: 'Ailleurs', attendees: [String(w.bureauA.id)] });
    expect(other.status).to.equal(303);
    const page = pageText((await bureau.get(poll())).text);
    expect(page).to.contain('Attention : vous avez déjà l’événement du réseau « Réunion régionale des coordinations »');
    expect(page).to.contain('vous avez déjà un entretien (Gestionnaire de cas Alpha)');
    expect(s2).to.not.equal(undefined);
    const charge = pageText((await (await as(ctx.app, w.chargeA.email)).get(poll())).text);
    expect(charge).to.contain('Réunion régionale').and.not.to.contain('Gestionnaire de cas Alpha');
  });

  it('when the poll is sent then each member (outside evaluator too) answers through a signed link, and bad links are refused', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const empty = await post(bureau, `${poll()}/envoyer`, {});
    expect(empty.status, 'nothing to send yet').to.equal(409);
    await post(bureau, `${poll()}/creneaux`, slotForm({ dates: [inDays(10)] }));
    const [s1] = slots();
    expect((await post(bureau, `${poll()}/envoyer`, {})).status).to.equal(303);
    const sent = mailsOf(ctx.db, 'scheduling.poll');
    expect(sent.map((m) => m.to_address).sort()).to.deep.equal([w.bureauA.email, w.chargeA.email, w.external.email].sort());
    const link = linkPath(sent.find((m) => m.to_address === w.external.email)!, '/disponibilites/');
    const guest = visitor(ctx.app);
    const page = await guest.get(link);
    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(pageText(page.text)).to.contain('Vous répondez en tant que Évaluatrice Extérieure');
    expect((await postFrom(guest, link, link, { [`answer_${s1.id}`]: 'yes' })).status).to.equal(303);
    expect(ctx.db.prepare('SELECT answer FROM scheduling_answers WHERE user_id = ?').get(w.external.id)).to.deep.equal({ answer: 'yes' });
    const bad = await postFrom(guest, link, link, { [`answer_${s1.id}`]: 'peut-être' });
    expect(bad.status).to.equal(422);
    expect(pageText(bad.text)).to.contain('Répondez par oui, si besoin ou non.');
    const other = await postFrom(guest, link, link, { answer_999999: 'yes' });
    expect(other.status, 'a slot of nothing').to.equal(409);

    expect((await guest.get(`${link.slice(0, -3)}AAA`)).status, 'tampered').to.equal(404);
    expect((await guest.get('/disponibilites/court')).status, 'malformed').to.equal(404);
    await post(bureau, `${poll()}/envoyer`, {});
    expect((await guest.get(link)).status, 'replaced by a newer link').to.equal(410);
    const newer = linkPath(mailsOf(ctx.db, 'scheduling.poll').filter((m) => m.to_address === w.external.email).at(-1)!, '/disponibilites/');
    ctx.db.prepare('UPDATE scheduling_panel_links SET expires_at = ? WHERE revoked_at IS NULL AND user_id = ?').run('2020-01-01T00:00:00.000Z', w.external.id);
    const expired = await guest.get(newer);
    expect(expired.status).to.equal(410);
    expect(pageText(expired.text)).to.contain('Lien expiré');
    const chargeLink = linkPath(mailsOf(ctx.db, 'scheduling.poll').filter((m) => m.to_address === w.chargeA.email).at(-1)!, '/disponibilites/');
    const chargeForm = await guest.get(chargeLink);
    expect(chargeForm.status).to.equal(200);
    ctx.db.prepare('DELETE FROM panel_members WHERE posting_id = ? AND user_id = ?').run(w.posting.id, w.chargeA.id);
    const removed = await guest.get(chargeLink);
    expect(removed.status).to.equal(410);
    expect(pageText(removed.text)).to.contain('Vous ne faites plus partie du jury');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(chargeForm.text)![1];
    expect((await guest.post(chargeLink).type('form').send({ _csrf: csrf, [`answer_${s1.id}`]: 'no' })).status, 'nor can they answer').to.equal(410);
  });

  it('when someone without the right opens or posts to the poll then 404 (or the login), and each action is refused for a panelist who only answers', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll()}/creneaux`, slotForm({ dates: [inDays(10)] }));
    const [s1] = slots();
    const coordinator = await as(ctx.app, w.coordinatorA.email);
    const foreign = await as(ctx.app, w.bureauB.email);
    const chargeB = await as(ctx.app, w.chargeB.email);
    for (const agent of [coordinator, foreign, chargeB]) {
      expect((await agent.get(poll())).status).to.equal(404);
      for (const [path, body] of [
        ['creneaux', slotForm()],
        [`creneaux/${s1.id}/retirer`, {}],
        ['reglages', { quorum: '1', deadline_hours: '1' }],
        ['reponses', { [`answer_${s1.id}`]: 'yes' }],
        ['envoyer', {}],
        ['candidats', { applications: [String(w.a1.id)] }],
      ] as const) {
        expect((await post(agent, `${poll()}/${path}`, body)).status, path).to.equal(404);
      }
    }
    const external = await as(ctx.app, w.external.email);
    expect((await external.get(poll())).status, 'a panelist reads the poll').to.equal(200);
    for (const [path, body] of [
      ['creneaux', slotForm({ dates: [inDays(40)] })],
      [`creneaux/${s1.id}/retirer`, {}],
      ['reglages', { quorum: '1', deadline_hours: '1' }],
      ['envoyer', {}],
      ['candidats', { applications: [String(w.a1.id)] }],
    ] as const) {
      expect((await post(external, `${poll()}/${path}`, body)).status, `panelist ${path}`).to.equal(404);
    }
    expect((await post(bureau, `${poll()}/reponses`, { [`answer_${s1.id}`]: 'yes' })).status, 'bureau on the panel answers').to.equal(303);
    const charge = await as(ctx.app, w.chargeA.email);
    expect((await post(charge, `${poll()}/reglages`, { quorum: '1', chair_required: '1', deadline_hours: '1' })).status, 'the chargée de mission manages').to.equal(303);
    const guest = visitor(ctx.app);
    expect((await guest.get(poll())).status).to.equal(302);
    const token = await csrfOf(guest);
    expect((await guest.post(`${poll()}/creneaux`).type('form').send({ _csrf: token, ...slotForm() })).status).to.equal(401);
    expect((await guest.post(`${poll()}/creneaux`).type('form').send(slotForm())).status, 'no CSRF token').to.equal(403);
    expect((await post(bureau, `/recrutement/offres/${w.foreign.id}/disponibilites/creneaux`, slotForm())).status, 'another CPTS').to.equal(404);
    expect((await post(bureau, `${poll()}/creneaux/999999/retirer`, {})).status).to.equal(404);
    expect(slots()).to.have.length(2);
  });
});
