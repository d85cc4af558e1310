import { expect } from 'chai';
import ICAL from 'ical.js';
import { login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld, type UserFixture } from '../helpers/factories.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { nowIso } from '../../server/core/db.js';

describe('network: directory, correspondents, peer mentors, events', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let coordA2: UserFixture;
  let coordB: UserFixture;
  const count = (table: string) => (ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const correspondent = { department: 'Sarthe (72)', institution: 'ars', name: 'Claire Bouvier', role: 'Référente CPTS', email: 'claire@ars.example.test', phone: '02 43 11 22 33' };
  const insertEvent = (startsAt: string, regionId = world.regionA.id) =>
    Number(
      ctx.db
        .prepare(`INSERT INTO network_events (region_id, kind, title, starts_at, duration_minutes, place, agenda, uid, created_by, created_at, updated_at)
                  VALUES (?, 'meeting', 'Réunion du réseau', ?, 120, 'Nantes', 'Ordre du jour', ?, ?, ?, ?)`)
        .run(regionId, startsAt, `uid-${Math.random()}@coordo`, world.chargeA.id, nowIso(), nowIso()).lastInsertRowid,
    );

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    coordA2 = await createUser(ctx.db, { name: 'Coord A2 expérimentée', memberships: [{ organisationId: world.orgA2.id, role: 'coordinator' }] });
    coordB = await createUser(ctx.db, { name: 'Coord Bravo', memberships: [{ organisationId: world.orgB.id, role: 'coordinator' }] });
  });
  afterEach(() => ctx.close());

  describe('directory', () => {
    it('when a member of a CPTS of the region opens the directory then they see every CPTS with its coordinators; another region is 404', async () => {
      for (const u of [world.coordinatorA, world.bureauA, world.chargeA]) {
        const agent = await login(ctx.app, u.email, u.password);
        const res = await agent.get(`/reseau/${world.regionA.id}`);
        expect(res.status, u.name).to.equal(200);
        const text = pageText(res.text);
        expect(text).to.contain('CPTS Alpha Deux');
        expect(text).to.contain('Coord A2 expérimentée');
        expect(text).to.contain('Coord A');
        expect(text).not.to.contain('CPTS Bravo');
        expect((await agent.get(`/reseau/${world.regionB.id}`)).status, u.name).to.equal(404);
      }
      for (const u of [world.nobody, world.admin, world.bureauB]) {
        const agent = await login(ctx.app, u.email, u.password);
        expect((await agent.get(`/reseau/${world.regionA.id}`)).status, u.name).to.equal(404);
      }
      const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      expect((await coord.get('/reseau')).headers.location).to.equal(`/reseau/${world.regionA.id}`);
      expect((await coord.get('/reseau/abc')).status).to.equal(404);
    });
  });

  describe('correspondents', () => {
    it('when the chargée adds, edits and removes a correspondent then the directory shows it; members of CPTS may not', async () => {
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      const res = await submitForm(charge, `/reseau/${world.regionA.id}/correspondants`, correspondent, `/reseau/${world.regionA.id}/correspondants/nouveau`);
      expect(res.status).to.equal(302);
      const text = pageText((await charge.get(`/reseau/${world.regionA.id}`)).text);
      expect(text).to.contain('Claire Bouvier');
      expect(text).to.contain('ARS (délégation départementale)');
      const id = (ctx.db.prepare('SELECT id FROM network_correspondents').get() as { id: number }).id;
      expect((await submitForm(charge, `/reseau/correspondants/${id}/modifier`, { ...correspondent, institution: 'cpam', name: 'Yann Le Bihan' }, `/reseau/correspondants/${id}/modifier`)).status).to.equal(302);
      expect(ctx.db.prepare('SELECT institution, name FROM network_correspondents WHERE id = ?').get(id)).to.deep.equal({ institution: 'cpam', name: 'Yann Le Bihan' });

      for (const u of [world.bureauA, world.coordinatorA, world.chargeB]) {
        const agent = await login(ctx.app, u.email, u.password);
        expect((await agent.get(`/reseau/${world.regionA.id}/correspondants/nouveau`)).status, u.name).to.equal(404);
        expect((await submitForm(agent, `/reseau/${world.regionA.id}/correspondants`, correspondent, '/compte')).status, u.name).to.equal(404);
        expect((await submitForm(agent, `/reseau/correspondants/${id}/modifier`, correspondent, '/compte')).status, u.name).to.equal(404);
        expect((await submitForm(agent, `/reseau/correspondants/${id}/supprimer`, {}, '/compte')).status, u.name).to.equal(404);
      }
      expect(count('network_correspondents')).to.equal(1);
      expect((await submitForm(charge, `/reseau/correspondants/${id}/supprimer`, {}, `/reseau/${world.regionA.id}`)).status).to.equal(302);
      expect(count('network_correspondents')).to.equal(0);
    });

    it('when a correspondent is invalid then the form comes back with messages and values, nothing written', async () => {
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      const page = `/reseau/${world.regionA.id}/correspondants/nouveau`;
      const bad = await submitForm(charge, `/reseau/${world.regionA.id}/correspondants`, { ...correspondent, name: '', email: 'pas-un-mail', phone: 'appeler' }, page);
      expect(bad.status).to.equal(422);
      const text = pageText(bad.text);
      expect(text).to.contain('Ce champ est obligatoire.');
      expect(text).to.contain('Saisissez une adresse e-mail valide');
      expect(text).to.contain('Saisissez un numéro de téléphone');
      expect(bad.text).to.contain('value="pas-un-mail"');
      const dept = await submitForm(charge, `/reseau/${world.regionA.id}/correspondants`, { ...correspondent, department: 'Finistère (29)' }, page);
      expect(dept.status).to.equal(422);
      const inst = await submitForm(charge, `/reseau/${world.regionA.id}/correspondants`, { ...correspondent, institution: 'mairie' }, page);
      expect(inst.status).to.equal(422);
      expect(count('network_correspondents')).to.equal(0);
    });

    it('when a plan has a step tagged "correspondents" then the new coordinator sees the ARS and CPAM of the department in it', async () => {
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      await submitForm(charge, `/reseau/${world.regionA.id}/correspondants`, correspondent, `/reseau/${world.regionA.id}/correspondants/nouveau`);
      await submitForm(charge, `/reseau/${world.regionA.id}/correspondants`, { ...correspondent, institution: 'cpam', name: 'Yann Le Bihan', phone: '02 43 99 88 77' }, `/reseau/${world.regionA.id}/correspondants/nouveau`);
      const eventId = insertEvent(nowIso(new Date(Date.now() + 10 * 86_400_000)));
      const res = await submitForm(charge, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: '1', start_date: todayInParis() }, `/organisations/${world.orgA.id}/integration/nouveau`);
      expect(res.status).to.equal(302);
      const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      const page = await coord.get(res.headers.location);
      const text = pageText(page.text);
      expect(text).to.contain('Vos correspondants institutionnels (Sarthe (72))');
      expect(text).to.contain('Claire Bouvier');
      expect(text).to.contain('Yann Le Bihan');
      expect(text).to.contain('02 43 99 88 77');
      expect(page.text).to.contain(`href="/reseau/evenements/${eventId}"`);
    });
  });

  describe('peer mentors', () => {
    it('when the chargée pairs a new coordinator with one of another CPTS of the region then both see it and the mentor sees the plan', async () => {
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      await submitForm(charge, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: '1', start_date: todayInParis() }, `/organisations/${world.orgA.id}/integration/nouveau`);
      const res = await submitForm(charge, `/reseau/${world.regionA.id}/binomes`, { mentee: `${world.coordinatorA.id}:${world.orgA.id}`, mentor: `${coordA2.id}:${world.orgA2.id}` }, `/reseau/${world.regionA.id}/binomes/nouveau`);
      expect(res.status).to.equal(302);
      for (const u of [world.coordinatorA, coordA2]) {
        const agent = await login(ctx.app, u.email, u.password);
        expect(pageText((await agent.get(`/reseau/${world.regionA.id}`)).text), u.name).to.contain('Coord A (CPTS Alpha) accompagné·e par Coord A2 expérimentée (CPTS Alpha Deux)');
      }
      const mentor = await login(ctx.app, coordA2.email, coordA2.password);
      const home = pageText((await mentor.get('/tableau-de-bord')).text);
      expect(home).to.contain('Rencontrer le ou la pair référent·e');
      const planId = (ctx.db.prepare('SELECT id FROM onboarding_plans').get() as { id: number }).id;
      const plan = await mentor.get(`/integration/${planId}`);
      expect(plan.status).to.equal(200);
      // The mentor ticks the mentor step but not the others.
      const mentorStep = ctx.db.prepare("SELECT id FROM onboarding_plan_steps WHERE owner_role = 'mentor'").get() as { id: number };
      const other = ctx.db.prepare("SELECT id FROM onboarding_plan_steps WHERE step_key = 'read_founding_documents'").get() as { id: number };
      expect((await submitForm(mentor, `/integration/${planId}/etapes/${mentorStep.id}/statut`, { status: 'done' }, `/integration/${planId}`)).status).to.equal(302);
      expect((await submitForm(mentor, `/integration/${planId}/etapes/${other.id}/statut`, { status: 'done' }, `/integration/${planId}`)).status).to.equal(404);
      // Ending the pairing removes the mentor's access.
      const pairingId = (ctx.db.prepare('SELECT id FROM network_mentor_pairings').get() as { id: number }).id;
      const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      expect((await submitForm(bureau, `/reseau/binomes/${pairingId}/terminer`, {}, '/compte')).status).to.equal(404);
      expect((await submitForm(charge, `/reseau/binomes/${pairingId}/terminer`, {}, `/reseau/${world.regionA.id}`)).status).to.equal(302);
      expect((await mentor.get(`/integration/${planId}`)).status).to.equal(404);
    });

    it('when the mentor is from the same CPTS or another region then it is refused with a message and nothing is written', async () => {
      const coordA1b = await createUser(ctx.db, { name: 'Coord A bis', memberships: [{ organisationId: world.orgA.id, role: 'coordinator' }] });
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      const page = `/reseau/${world.regionA.id}/binomes/nouveau`;
      const same = await submitForm(charge, `/reseau/${world.regionA.id}/binomes`, { mentee: `${world.coordinatorA.id}:${world.orgA.id}`, mentor: `${coordA1b.id}:${world.orgA.id}` }, page);
      expect(same.status).to.equal(422);
      expect(pageText(same.text)).to.contain('doit venir d’une autre CPTS');
      const otherRegion = await submitForm(charge, `/reseau/${world.regionA.id}/binomes`, { mentee: `${world.coordinatorA.id}:${world.orgA.id}`, mentor: `${coordB.id}:${world.orgB.id}` }, page);
      expect(otherRegion.status).to.equal(422);
      expect(pageText(otherRegion.text)).to.contain('d’une CPTS de la même région');
      const garbage = await submitForm(charge, `/reseau/${world.regionA.id}/binomes`, { mentee: 'x', mentor: '' }, page);
      expect(garbage.status).to.equal(422);
      const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      expect((await bureau.get(page)).status).to.equal(404);
      expect((await submitForm(bureau, `/reseau/${world.regionA.id}/binomes`, { mentee: `${world.coordinatorA.id}:${world.orgA.id}`, mentor: `${coordA2.id}:${world.orgA2.id}` }, '/compte')).status).to.equal(404);
      expect(count('network_mentor_pairings')).to.equal(0);
    });
  });

  describe('events', () => {
    const event = { kind: 'meeting', title: 'Réunion des coordinateurs', date: addDays(todayInParis(), 20), time: '14:30', end_time: '16:30', place: 'Angers', agenda: 'Tour de table' };

    it('when the chargée programs an event then members see it, download its .ics and answer; the attendee list is for organisers only', async () => {
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      const res = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, event, `/reseau/${world.regionA.id}/evenements/nouveau`);
      expect(res.status).to.equal(302);
      const id = Number(/(\d+)$/.exec(res.headers.location)![1]);
      const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      expect(pageText((await coord.get(`/reseau/${world.regionA.id}`)).text)).to.contain('Réunion des coordinateurs');
      const ics = await coord.get(`/reseau/evenements/${id}.ics`);
      expect(ics.status).to.equal(200);
      expect(ics.headers['content-type']).to.contain('text/calendar');
      const vevent = new ICAL.Component(ICAL.parse(ics.text)).getFirstSubcomponent('vevent')!;
      expect(vevent.getFirstPropertyValue('summary')).to.equal('Réunion des coordinateurs');
      expect(vevent.getFirstPropertyValue('location')).to.equal('Angers');
      const start = (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate();
      expect(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(start)).to.equal('14:30');

      expect((await submitForm(coord, `/reseau/evenements/${id}/reponse`, { response: 'yes' }, `/reseau/evenements/${id}`)).status).to.equal(302);
      expect((await submitForm(coord, `/reseau/evenements/${id}/reponse`, { response: 'perhaps' }, `/reseau/evenements/${id}`)).status).to.equal(422);
      const coordPage = pageText((await coord.get(`/reseau/evenements/${id}`)).text);
      expect(coordPage).to.contain('Votre réponse actuelle : Oui.');
      expect(coordPage).not.to.contain('Réponses');
      const organiser = pageText((await charge.get(`/reseau/evenements/${id}`)).text);
      expect(organiser).to.contain('1 oui, 0 peut-être, 0 non');
      expect(organiser).to.contain('Coord A');

      for (const u of [world.bureauB, world.chargeB, world.nobody]) {
        const agent = await login(ctx.app, u.email, u.password);
        expect((await agent.get(`/reseau/evenements/${id}`)).status, u.name).to.equal(404);
        expect((await agent.get(`/reseau/evenements/${id}.ics`)).status, u.name).to.equal(404);
        expect((await submitForm(agent, `/reseau/evenements/${id}/reponse`, { response: 'yes' }, '/compte')).status, u.name).to.equal(404);
      }
      expect(count('network_event_rsvps')).to.equal(1);
    });

    it('when someone answers a past event then it is refused with a message and nothing is written', async () => {
      const id = insertEvent(nowIso(new Date(Date.now() - 2 * 86_400_000)));
      const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      const res = await submitForm(coord, `/reseau/evenements/${id}/reponse`, { response: 'yes' }, `/reseau/evenements/${id}`);
      expect(res.status).to.equal(409);
      expect(pageText(res.text)).to.contain('Cet événement est passé');
      expect(count('network_event_rsvps')).to.equal(0);
    });

    it('when an event is invalid or programmed by a non-organiser then it is refused and nothing is written', async () => {
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      const page = `/reseau/${world.regionA.id}/evenements/nouveau`;
      const bad = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event, title: '', time: '25:00', date: '2026-02-30', end_time: '' }, page);
      expect(bad.status).to.equal(422);
      const text = pageText(bad.text);
      expect(text).to.contain('Saisissez une heure');
      expect(text).to.contain('Ce champ est obligatoire.');
      const reversed = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event, end_time: '13:00' }, page);
      expect(reversed.status).to.equal(422);
      expect(pageText(reversed.text)).to.contain('L’heure de fin doit être après l’heure de début.');
      const past = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event, date: addDays(todayInParis(), -1) }, page);
      expect(past.status).to.equal(422);
      expect(pageText(past.text)).to.contain('cette date est passée');
      const badLink = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event, video_url: 'http://not-https.example' }, page);
      expect(badLink.status).to.equal(422);
      expect(pageText(badLink.text)).to.contain('Saisissez une adresse commençant par https://.');
      const nowhere = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event, place: '', video_url: '' }, page);
      expect(nowhere.status).to.equal(422);
      expect(pageText(nowhere.text)).to.contain('Indiquez un lieu ou un lien de visioconférence.');
      const impossible = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event, date: '2026-02-30' }, page);
      expect(impossible.status).to.equal(422);
      const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      expect((await coord.get(page)).status).to.equal(404);
      expect((await submitForm(coord, `/reseau/${world.regionA.id}/evenements`, event, '/compte')).status).to.equal(404);
      expect(count('network_events')).to.equal(0);
    });
  });
});
