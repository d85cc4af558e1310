import { expect } from 'chai';
import { redactIdentity } from '../../server/features/pipeline/anonymity.js';
import { csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo } from '../helpers/mail.js';
import { binary, unzip } from '../helpers/zip.js';
import { createApplication, createPosting, stageByKey } from './fixtures.js';

describe('anonymity: redaction of free text around a masked application', () => {
  const id = { full_name: 'Hélène Le Goff', first_name: 'Hélène', last_name: 'Le Goff', email: 'helene.legoff@example.test', phone: '06 12 34 56 78' };

  it('when the text carries the name in any case or accent, the e-mail or the phone in any format then each is replaced', () => {
    const text = 'Bonjour, HELENE le goff ici (helene.legoff@example.test, 0612345678 ou +33 6 12 34 56 78). Merci, Hélène.';
    const out = redactIdentity(text, id, '[masqué]');
    for (const s of ['HELENE', 'goff', 'helene.legoff', '0612345678', '12 34 56 78', 'Hélène']) expect(out).not.to.contain(s);
    expect(out).to.contain('Bonjour,');
    expect(out).to.contain('[masqué]');
    expect(out).to.contain('Merci,');
  });

  it('when the text says nothing of the person then it is unchanged, even where a short name is part of a word', () => {
    const text = 'Coordinatrice depuis 2019, gestion de projet et animation de réseau.';
    expect(redactIdentity(text, id, '[masqué]')).to.equal(text);
    const li = { full_name: 'An Li', first_name: 'An', last_name: 'Li', email: 'an.li@example.test', phone: '' };
    expect(redactIdentity('Qualité de liaison, Li An.', li, '[masqué]')).to.equal('Qualité de liaison, [masqué] [masqué].');
  });
});

describe('anonymity: search, reveal and the end of screening', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let bureau: Agent;
  let charge: Agent;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
  });
  afterEach(() => ctx.close());

  const masked = () => {
    const posting = createPosting(ctx.db, world.orgA.id, { anonymised: true, title: 'Coordination Alpha' });
    const app = createApplication(ctx.db, posting, {
      firstName: 'Ysolde',
      lastName: 'Quarantotti',
      email: 'ysolde.q@example.test',
      message: 'Forte expérience en coordination de parcours. Ysolde QUARANTOTTI, 06 12 34 56 78',
      document: { uploadDir: ctx.config.uploadDir },
    });
    return { posting, app };
  };
  const listText = async (agent: Agent, postingId: number, q: string) => pageText((await agent.get(`/recrutement/offres/${postingId}/liste?q=${encodeURIComponent(q)}`)).text);
  const post = async (agent: Agent, page: string, path: string, fields: Record<string, unknown> = {}) =>
    agent.post(path).type('form').send({ _csrf: await csrfOf(agent, page), ...fields });

  it('when a screener searches the list for the surname, first name, e-mail or phone of a masked application then nothing is found, not even through its signed message', async () => {
    const { posting, app } = masked();
    for (const agent of [bureau, charge]) {
      for (const q of ['Quarantotti', 'quarantotti', 'Ysolde', 'ysolde.q@example.test', '06 12 34 56 78']) {
        const text = await listText(agent, posting.id, q);
        expect(text, q).to.contain('0 candidature');
        expect(text, q).not.to.contain('Candidat·e n°1');
      }
      for (const q of ['Quarantotti', 'ysolde']) expect(pageText((await agent.get(`/recrutement/organisations/${world.orgA.id}/candidatures?q=${q}`)).text)).to.contain('0 candidature');
    }
    // The message's other words are still searched, and the card is named by its number.
    expect(await listText(bureau, posting.id, 'coordination de parcours')).to.contain('Candidat·e n°1');
    // The candidate page shows the message without the signature.
    const page = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
    expect(page).to.contain('Forte expérience en coordination de parcours.');
    expect(page).not.to.match(/Ysolde|QUARANTOTTI|12 34 56 78/);
  });

  it('when the posting does not screen anonymously then the surname and the phone find the application', async () => {
    const posting = createPosting(ctx.db, world.orgA.id);
    createApplication(ctx.db, posting, { firstName: 'Ysolde', lastName: 'Quarantotti' });
    expect(await listText(bureau, posting.id, 'Quarantotti')).to.contain('Ysolde Quarantotti');
    expect(await listText(bureau, posting.id, '06 12 34')).to.contain('Ysolde Quarantotti');
  });

  it('when the bureau member reveals the identity then they see it everywhere (page, search, rejection preview, export), audited; the chargée still does not', async () => {
    const { posting, app } = masked();
    // Before: the preview greets the label, the export is refused until the anonymity is lifted.
    const preview = pageText((await bureau.get(`/recrutement/candidatures/${app.id}/refuser`)).text);
    expect(preview).to.contain('Bonjour Candidat·e n°1');
    expect(preview).not.to.contain('Ysolde');
    const refused = await bureau.get(`/recrutement/candidatures/${app.id}/donnees.zip`);
    expect(refused.status).to.equal(303);
    expect(refused.headers.location).to.equal(`/recrutement/candidatures/${app.id}`);
    expect(pageText((await bureau.get(refused.headers.location)).text)).to.contain('la copie des données (identité et documents) n’est remise qu’après la levée de l’anonymat');
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'application.exported_by_bureau'").get()).to.deep.equal({ n: 0 });

    expect((await post(bureau, `/recrutement/candidatures/${app.id}`, `/recrutement/candidatures/${app.id}/reveler`)).status).to.equal(303);
    expect(ctx.db.prepare("SELECT actor_user_id, target_id FROM audit_log WHERE action = 'pipeline.identity_revealed'").all()).to.deep.equal([{ actor_user_id: world.bureauA.id, target_id: app.id }]);
    const page = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
    for (const s of ['Ysolde Quarantotti', 'ysolde.q@example.test', '06 12 34 56 78', 'Ysolde QUARANTOTTI', 'CV Ysolde Quarantotti.pdf', 'Anonymat levé par Bureau A']) expect(page).to.contain(s);
    expect(await listText(bureau, posting.id, 'Quarantotti')).to.contain('Ysolde Quarantotti');
    expect(pageText((await bureau.get(`/recrutement/candidatures/${app.id}/refuser`)).text)).to.contain('Bonjour Ysolde Quarantotti');
    const zip = await bureau.get(`/recrutement/candidatures/${app.id}/donnees.zip`).buffer(true).parse(binary);
    expect(zip.status).to.equal(200);
    expect((await unzip(zip.body as Buffer)).get('candidature.json')?.toString()).to.contain('Quarantotti');
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'application.exported_by_bureau'").get()).to.deep.equal({ n: 1 });

    // The chargée did not ask: still masked for her, in the page and in her search.
    expect(pageText((await charge.get(`/recrutement/candidatures/${app.id}`)).text)).not.to.contain('Quarantotti');
    expect(await listText(charge, posting.id, 'Quarantotti')).to.contain('0 candidature');
  });

  it('when a masked application is rejected during screening then it stays masked; once an application reaches Entretien its identity shows to all and in mention mails', async () => {
    const { posting, app } = masked();
    const rejected = await post(bureau, `/recrutement/candidatures/${app.id}/refuser`, `/recrutement/candidatures/${app.id}/refuser`, {
      reason: 'profile',
      reason_text: '',
      mail: 'none',
      expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id,
      back: 'candidate',
    });
    expect(rejected.status, rejected.text.slice(0, 300)).to.equal(303);
    const after = pageText((await charge.get(`/recrutement/candidatures/${app.id}`)).text);
    expect(after).to.contain('Non retenu(e)');
    expect(after).to.contain('Candidat·e n°1');
    expect(after).not.to.contain('Quarantotti');

    const other = createApplication(ctx.db, posting, { firstName: 'Zoé', lastName: 'Lambert' });
    expect(
      (await post(bureau, `/recrutement/candidatures/${other.id}`, `/recrutement/candidatures/${other.id}/deplacer`, {
        stage_id: stageByKey(ctx.db, posting.id, 'interview').id,
        expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id,
        back: 'candidate',
      })).status,
    ).to.equal(303);
    expect(pageText((await charge.get(`/recrutement/candidatures/${other.id}`)).text)).to.contain('Zoé Lambert');
    await post(charge, `/recrutement/candidatures/${other.id}`, `/recrutement/candidatures/${other.id}/notes`, { body: 'À voir', mentions: [String(world.bureauA.id)] });
    expect(lastMailTo(ctx.db, world.bureauA.email).text_body).to.contain('Zoé Lambert');
  });

  it('when the same person has an open application and a masked one then neither page links to the other, until both show identity', async () => {
    const open = createPosting(ctx.db, world.orgA.id, { title: 'Poste ouvert' });
    const anon = createPosting(ctx.db, world.orgA.id, { anonymised: true, title: 'Poste anonymisé' });
    const seen = createApplication(ctx.db, open, { firstName: 'Ysolde', lastName: 'Quarantotti', email: 'ysolde.q@example.test', status: 'interview' });
    const hidden = createApplication(ctx.db, anon, { firstName: 'Ysolde', lastName: 'Quarantotti', email: 'ysolde.q@example.test' });
    const seenPage = (await bureau.get(`/recrutement/candidatures/${seen.id}`)).text;
    expect(seenPage).not.to.contain(`href="/recrutement/candidatures/${hidden.id}"`);
    expect(pageText(seenPage)).not.to.contain('Poste anonymisé ·');
    const hiddenPage = (await bureau.get(`/recrutement/candidatures/${hidden.id}`)).text;
    expect(hiddenPage).not.to.contain(`href="/recrutement/candidatures/${seen.id}"`);
    expect(pageText(hiddenPage)).to.contain('Masquées pendant le tri anonymisé');
    await post(bureau, `/recrutement/candidatures/${hidden.id}`, `/recrutement/candidatures/${hidden.id}/deplacer`, {
      stage_id: stageByKey(ctx.db, anon.id, 'interview').id,
      expected_stage_id: stageByKey(ctx.db, anon.id, 'new').id,
      back: 'candidate',
    });
    expect((await bureau.get(`/recrutement/candidatures/${seen.id}`)).text).to.contain(`href="/recrutement/candidatures/${hidden.id}"`);
    expect((await bureau.get(`/recrutement/candidatures/${hidden.id}`)).text).to.contain(`href="/recrutement/candidatures/${seen.id}"`);
  });

  it('when an interview is set for a masked application then the panel’s calendar names the label and lists no candidate; the candidate’s copy is complete', async () => {
    const { posting, app } = masked();
    ctx.db.prepare("INSERT INTO panel_members (organisation_id, posting_id, user_id, kind, is_chair, created_at) VALUES (?, ?, ?, 'member', 0, datetime('now'))").run(world.orgA.id, posting.id, world.chargeA.id);
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const res = await post(bureau, `/recrutement/candidatures/${app.id}/entretiens`, `/recrutement/candidatures/${app.id}/entretiens`, {
      date: future,
      start_time: '10:00',
      end_time: '11:00',
      mode: 'place',
      location: 'Maison de santé',
      attendees: [String(world.chargeA.id)],
    });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const panel = ctx.db.prepare('SELECT text_body, attachments FROM outbox WHERE to_address = ?').get(world.chargeA.email) as { text_body: string; attachments: string };
    expect(panel.text_body).to.contain('Candidat·e n°1');
    expect(panel.attachments).to.contain('Candidat·e n°1');
    expect(panel.text_body + panel.attachments).not.to.match(/Quarantotti|ysolde\.q@example\.test/i);
    const own = ctx.db.prepare('SELECT attachments FROM outbox WHERE to_address = ?').get('ysolde.q@example.test') as { attachments: string };
    expect(own.attachments).to.contain('ysolde.q@example.test');
  });
});
