/**
 * The funding check through the pages a bureau uses: the contract and costs it records, the
 * region's amounts, and the check on a case-manager draft and in the workload review (ranges,
 * part time, missing data), plus the bad input each form refuses.
 */
import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { messages as fundingMessages } from '../../server/features/funding/messages.js';
import { currentYear } from '../../server/features/funding/service.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { createPlanForHire, ensureRegionTemplates } from '../../server/features/onboarding/service.js';
import { csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { rowCounts } from '../helpers/db-snapshot.js';
import { createWorld } from '../helpers/factories.js';

type World = Awaited<ReturnType<typeof createWorld>>;

describe('funding check: computation through the pages, and bad input', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let w: World;
  let bureau: Agent;
  let charge: Agent;
  let bureauToken: string;
  let chargeToken: string;
  const year = currentYear();

  const post = (agent: Agent, token: string, path: string, fields: Record<string, string>) => agent.post(path).type('form').send({ _csrf: token, ...fields });
  const setPosting = (id: number, fields: Record<string, unknown>) => {
    const sets = Object.keys(fields).map((k) => `${k} = @${k}`).join(', ');
    ctx.db.prepare(`UPDATE postings SET ${sets} WHERE id = @id`).run({ ...fields, id });
  };
  const draftText = async (id: number) => pageText((await bureau.get(`/gestion/offres/${id}`)).text);

  beforeEach(async () => {
    ctx = createTestContext();
    w = await createWorld(ctx.db);
    bureau = await login(ctx.app, w.bureauA.email, w.bureauA.password);
    charge = await login(ctx.app, w.chargeA.email, w.chargeA.password);
    bureauToken = await csrfOf(bureau, '/compte');
    chargeToken = await csrfOf(charge, '/compte');
  });
  afterEach(() => ctx.close());

  /** CPTS Alpha (taille 2): the region's amount for this year, its contract and its coordinator. */
  async function arrange(extra: Record<string, string>[] = []) {
    const region = `/regions/${w.regionA.id}/financement`;
    expect((await post(charge, chargeToken, region, { size_class: '2', year: String(year), amount: '105 000', source: 'Avenant 2 (saisi par la région)', source_date: '2021-12-20' })).status).to.equal(302);
    const org = `/organisations/${w.orgA.id}/financement`;
    expect((await post(bureau, bureauToken, `${org}/contrat`, { aci_size: '2', aci_start_year: '2023', new_post_rate_percent: '45' })).status).to.equal(302);
    expect((await post(bureau, bureauToken, `${org}/charges`, { kind: 'post', label: 'Coordination (temps plein)', gross_salary: '38 000', fte_percent: '100', employer_rate_percent: '45' })).status).to.equal(302);
    for (const e of extra) expect((await post(bureau, bureauToken, `${org}/charges`, e)).status).to.equal(302);
  }

  /** A case-manager draft from the shipped template (27,000–36,000 € at 80 %). */
  async function caseManagerDraft(): Promise<number> {
    const res = await post(bureau, bureauToken, `/organisations/${w.orgA.id}/offres`, { template: 'case_manager' });
    expect(res.status).to.equal(302);
    return Number(/\/gestion\/offres\/(\d+)/.exec(res.headers.location)![1]);
  }

  describe('on a posting draft', () => {
    it('when the margin pays the upper salary then the draft says so with what is left, in a table, with the source and date', async () => {
      await arrange();
      const id = await caseManagerDraft();
      const res = await bureau.get(`/gestion/offres/${id}`);
      const text = pageText(res.text);
      expect(text).to.contain('Vérification du financement');
      expect(text).to.contain('Enveloppe de fonctionnement (taille 2) 105 000 € 105 000 €');
      expect(text).to.contain('Charges déjà engagées − 55 100 € − 55 100 €');
      expect(text).to.contain('Marge disponible 49 900 € 49 900 €');
      expect(text).to.contain('Coût annuel du poste − 31 320 € 27 000 € bruts × 80 % × (1 + 45 % de charges) − 41 760 €');
      expect(text).to.contain('L’enveloppe couvre le poste à son salaire haut, avec 8 140 € de reste.');
      expect(text).to.contain('Avenant 2 (saisi par la région), du 20 décembre 2021. Montant confirmé par la région.');
      // The French way: narrow no-break spaces between thousands, a no-break space before €.
      expect(res.text).to.contain('8\u202f140\u00a0€');
      // The bar is an image with a text alternative, and its legend says each part in words.
      expect(res.text).to.match(/<svg role="img" aria-labelledby="financement-bar-title financement-bar-desc"/);
      expect(text).to.contain('Enveloppe 105 000 € ; charges engagées 55 100 € ; poste 31 320 € à 41 760 € ; au salaire haut, reste 8 140 €.');
      expect(text).to.contain('Supplément au salaire haut (hachuré) : 10 440 €');
    });

    it('when the bureau member reads in English then the check is in English, with English money', async () => {
      await arrange();
      const id = await caseManagerDraft();
      ctx.db.prepare("UPDATE users SET locale = 'en' WHERE id = ?").run(w.bureauA.id);
      const text = await draftText(id);
      expect(text).to.contain('Funding check');
      expect(text).to.contain('The envelope covers the post at its upper salary with €8,140 to spare.');
      expect(text).to.contain('Yearly cost of the post − €31,320 €27,000 gross × 80% × (1 + 45% contributions) − €41,760');
    });

    it('when a funding message exists in French then it exists in English too', () => {
      const missing = Object.keys(fundingMessages.fr).filter((k) => !(k in fundingMessages.en));
      expect(missing).to.deep.equal([]);
    });

    it('when the margin pays the lower salary only then the reading says what the upper salary lacks', async () => {
      await arrange([{ kind: 'other', label: 'Locaux', amount: '15000' }]);
      const text = await draftText(await caseManagerDraft());
      expect(text).to.contain('L’enveloppe couvre le poste à son salaire bas, avec 3 580 € de reste, mais pas à son salaire haut : il manquerait 6 860 €.');
      expect(text).to.contain('Reste après le poste 3 580 € Manque 6 860 €');
    });

    it('when the margin is below the lower salary then the reading says what is missing', async () => {
      await arrange([{ kind: 'other', label: 'Locaux et assistanat', amount: '30000' }]);
      const text = await draftText(await caseManagerDraft());
      expect(text).to.contain('L’enveloppe ne couvre pas le poste, même à son salaire bas : il manque 11 420 €.');
    });

    it('when the committed costs already exceed the envelope then the reading says no further post can be funded', async () => {
      await arrange([{ kind: 'post', label: 'Assistanat (temps plein)', gross_salary: '40000', fte_percent: '100', employer_rate_percent: '45' }]);
      const text = await draftText(await caseManagerDraft());
      expect(text).to.contain('Les charges déjà engagées dépassent l’enveloppe de 8 100 €');
    });

    it('when the post is part time, as a percentage or in hours, then its cost is prorated', async () => {
      await arrange();
      const id = await caseManagerDraft();
      setPosting(id, { fte_percent: 50 });
      let text = await draftText(id);
      expect(text).to.contain('− 19 575 € 27 000 € bruts × 50 % × (1 + 45 % de charges) − 26 100 €');
      expect(text).to.contain('avec 23 800 € de reste');
      setPosting(id, { fte_percent: null, hours_per_week: 28 });
      text = await draftText(id);
      expect(text).to.contain('27 000 € bruts × 80 % × (1 + 45 % de charges)');
      expect(text).to.contain('avec 8 140 € de reste');
    });

    it('when the posting has no salary then the check asks for one, with a link to the posting form, and gives no verdict', async () => {
      await arrange();
      const id = await caseManagerDraft();
      setPosting(id, { salary_min: null, salary_max: null });
      const res = await bureau.get(`/gestion/offres/${id}`);
      const text = pageText(res.text);
      expect(text).to.contain('Le calcul ne peut pas être fait : il manque la rémunération du poste : indiquez un salaire minimum et maximum dans l’offre.');
      expect(res.text).to.contain(`href="/gestion/offres/${id}/modifier">Compléter l’offre`);
      expect(text).not.to.contain('L’enveloppe couvre');
      expect(text).to.contain('Marge disponible 49 900 €');
    });

    it('when the size has no amount for the year the post starts then the check says what is missing instead of guessing', async () => {
      await arrange();
      const id = await caseManagerDraft();
      setPosting(id, { start_date: '2099-03-01' });
      const text = await draftText(id);
      expect(text).to.contain('Année 2099');
      expect(text).to.contain('il manque le montant de fonctionnement de la taille 2 pour 2099 : la région ne l’a pas encore saisi.');
      expect(text).not.to.contain('Marge disponible');
      expect(text).not.to.contain('L’enveloppe couvre');
    });

    it('when the CPTS has recorded no contract then the check asks for it', async () => {
      const text = await draftText(await caseManagerDraft());
      expect(text).to.contain('il manque le contrat ACI de la CPTS (taille, année de début, taux de charges)');
    });

    it('when the region has not entered an amount then the shipped reference applies, said to be unconfirmed', async () => {
      ctx.db.prepare("INSERT INTO funding_envelopes (region_id, size_class, year, amount, source, source_date, updated_at) VALUES (NULL, 2, 2098, 99000, 'Référence test', '2097-01-01', '2026-01-01T00:00:00.000Z')").run();
      await arrange();
      const id = await caseManagerDraft();
      setPosting(id, { start_date: '2098-01-15' });
      const text = await draftText(id);
      expect(text).to.contain('Enveloppe de fonctionnement (taille 2) 99 000 €');
      expect(text).to.contain('Référence test, du 1er janvier 2097. Montant de référence livré avec Coordo, pas encore confirmé par la région.');
    });

    it('when the posting is published then the page no longer carries the check (drafts only)', async () => {
      await arrange();
      const id = await caseManagerDraft();
      setPosting(id, { status: 'published', published_at: new Date().toISOString() });
      expect(await draftText(id)).not.to.contain('Vérification du financement');
    });

    it('when the bureau opens the printable sheet of the draft then the check is there without the page links', async () => {
      await arrange();
      const id = await caseManagerDraft();
      const res = await bureau.get(`/organisations/${w.orgA.id}/financement/fiche?offre=${id}`);
      expect(res.status).to.equal(200);
      const text = pageText(res.text);
      expect(text).to.contain('Fiche de financement : Coordinateur ou coordinatrice de parcours de santé complexes (H/F)');
      expect(text).to.contain('avec 8 140 € de reste');
      expect(text).not.to.contain('Fiche à imprimer pour la réunion du bureau');
    });
  });

  describe('in the workload review', () => {
    it('when the bureau opens the review step then it shows the check of the template’s post, then of the draft once opened', async () => {
      await arrange();
      ensureRegionTemplates(ctx.db, w.regionA.id);
      const actor = loadActor(ctx.db, w.bureauA.id)!;
      const { planId } = createPlanForHire(ctx.db, actor, { organisationId: w.orgA.id, userId: w.coordinatorA.id, kind: 'coordinator', startDate: addDays(todayInParis(), -95) });
      const step = ctx.db.prepare("SELECT id FROM onboarding_plan_steps WHERE plan_id = ? AND tag = 'workload_review'").get(planId) as { id: number };
      let text = pageText((await bureau.get(`/integration/${planId}`)).text);
      expect(text).to.contain('Vérification du financement Poste : Coordinateur ou coordinatrice de parcours de santé complexes (H/F) D’après le modèle d’offre');
      expect(text).to.contain('L’enveloppe couvre le poste à son salaire haut, avec 8 140 € de reste.');

      const decided = await post(bureau, bureauToken, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'open_case_manager', notes: '' });
      expect(decided.status).to.equal(302);
      const opened = await post(bureau, bureauToken, `/integration/${planId}/etapes/${step.id}/offre`, {});
      const postingId = Number(/\/gestion\/offres\/(\d+)$/.exec(opened.headers.location)![1]);
      setPosting(postingId, { fte_percent: 100 });
      text = pageText((await bureau.get(`/integration/${planId}`)).text);
      expect(text).not.to.contain('D’après le modèle d’offre');
      expect(text).to.contain('− 39 150 € 27 000 € bruts × 100 % × (1 + 45 % de charges) − 52 200 €');
      expect(text).to.contain('L’enveloppe couvre le poste à son salaire bas, avec 10 750 € de reste, mais pas à son salaire haut : il manquerait 2 300 €.');

      // The chargée de mission follows the plan but does not see the CPTS's figures.
      const hers = pageText((await charge.get(`/integration/${planId}`)).text);
      expect(hers).not.to.contain('Vérification du financement');
    });
  });

  describe('the dashboards', () => {
    it('when the bureau opens its dashboard then it shows this year’s operating margin with its bar and source', async () => {
      await arrange();
      const text = pageText((await bureau.get(`/organisations/${w.orgA.id}/tableau-de-bord`)).text);
      expect(text).to.contain(`Marge de fonctionnement ${year} Il reste 49 900 € par an sur le fonctionnement après les charges engagées.`);
      expect(text).to.contain('Enveloppe 105 000 € ; charges engagées 55 100 € ; reste 49 900 €.');
      const hers = pageText((await charge.get(`/organisations/${w.orgA.id}/tableau-de-bord`)).text);
      expect(hers).not.to.contain('Marge de fonctionnement');
    });

    it('when a coordinator’s review found an overload then the regional dashboard lists the CPTS whose margin allows a hire, without figures', async () => {
      await arrange();
      ensureRegionTemplates(ctx.db, w.regionA.id);
      const actor = loadActor(ctx.db, w.bureauA.id)!;
      const { planId } = createPlanForHire(ctx.db, actor, { organisationId: w.orgA.id, userId: w.coordinatorA.id, kind: 'coordinator', startDate: addDays(todayInParis(), -95) });
      const step = ctx.db.prepare("SELECT id FROM onboarding_plan_steps WHERE plan_id = ? AND tag = 'workload_review'").get(planId) as { id: number };
      let text = pageText((await charge.get(`/regions/${w.regionA.id}/tableau-de-bord`)).text);
      expect(text).to.contain('Aucune CPTS en surcharge dont la marge permet une embauche.');

      await post(bureau, bureauToken, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'adjust', notes: '' });
      text = pageText((await charge.get(`/regions/${w.regionA.id}/tableau-de-bord`)).text);
      expect(text).to.match(/CPTS en surcharge dont la marge permet une embauche CPTS Bilan de charge Financement d’un poste de coordination de parcours CPTS Alpha Périmètre ou temps ajusté, le .* Finançable, même au salaire haut/);
      expect(text).not.to.contain('49 900');

      // More costs: still overloaded, no longer affordable; it moves to the other list.
      await post(bureau, bureauToken, `/organisations/${w.orgA.id}/financement/charges`, { kind: 'other', label: 'Locaux', amount: '30000' });
      text = pageText((await charge.get(`/regions/${w.regionA.id}/tableau-de-bord`)).text);
      expect(text).to.contain('Aucune CPTS en surcharge dont la marge permet une embauche.');
      expect(text).to.contain('Autres CPTS en surcharge : CPTS Alpha — Marge insuffisante');

      // A later review that keeps the organisation: no longer overloaded.
      await post(bureau, bureauToken, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'keep', notes: '' });
      text = pageText((await charge.get(`/regions/${w.regionA.id}/tableau-de-bord`)).text);
      expect(text).not.to.contain('Autres CPTS en surcharge');
    });
  });

  describe('recording and correcting', () => {
    it('when the bureau saves its contract and costs then the page lists them with their yearly cost and the total', async () => {
      await arrange([{ kind: 'other', label: 'Expert-comptable', amount: '3 600 €' }]);
      const text = pageText((await bureau.get(`/organisations/${w.orgA.id}/financement`)).text);
      expect(text).to.contain('Coordination (temps plein) 38 000 € bruts à temps plein × 100 % × (1 + 45 % de charges) 55 100 €');
      expect(text).to.contain('Expert-comptable Charge fixe annuelle 3 600 €');
      expect(text).to.contain('Total engagé 58 700 €');
      expect(ctx.db.prepare('SELECT aci_size, aci_start_year, new_post_rate_percent FROM funding_profiles WHERE organisation_id = ?').get(w.orgA.id)).to.deep.equal({ aci_size: 2, aci_start_year: 2023, new_post_rate_percent: 45 });
    });

    it('when the bureau edits or removes a cost then the margin follows', async () => {
      await arrange();
      const id = (ctx.db.prepare('SELECT id FROM funding_commitments WHERE organisation_id = ?').get(w.orgA.id) as { id: number }).id;
      expect((await bureau.get(`/organisations/${w.orgA.id}/financement/charges/${id}`)).text).to.contain('value="38000"');
      await post(bureau, bureauToken, `/organisations/${w.orgA.id}/financement/charges/${id}`, { label: 'Coordination (80 %)', gross_salary: '38000', fte_percent: '80', employer_rate_percent: '45' });
      let text = pageText((await bureau.get(`/organisations/${w.orgA.id}/financement`)).text);
      expect(text).to.contain('Coordination (80 %) 38 000 € bruts à temps plein × 80 % × (1 + 45 % de charges) 44 080 €');
      expect(text).to.contain('Il reste 60 920 € par an');
      await post(bureau, bureauToken, `/organisations/${w.orgA.id}/financement/charges/${id}/supprimer`, {});
      text = pageText((await bureau.get(`/organisations/${w.orgA.id}/financement`)).text);
      expect(text).to.contain('Aucune charge engagée n’est enregistrée.');
      expect(text).to.contain('Il reste 105 000 € par an');
    });

    it('when the chargée corrects a reference amount and later removes her correction then the reference applies again', async () => {
      ctx.db.prepare("INSERT INTO funding_envelopes (region_id, size_class, year, amount, source, source_date, updated_at) VALUES (NULL, 3, 2097, 120000, 'Référence test', '2096-01-01', '2026-01-01T00:00:00.000Z')").run();
      const page = `/regions/${w.regionA.id}/financement`;
      const form = await charge.get(`${page}?taille=3&annee=2097`);
      expect(form.text).to.match(/name="amount" type="text" value="120000"/);
      await post(charge, chargeToken, page, { size_class: '3', year: '2097', amount: '125000', source: 'Avenant test', source_date: '2096-06-01' });
      let text = pageText((await charge.get(page)).text);
      expect(text).to.contain('125 000 € Saisi par la région Source : Avenant test, du 1er juin 2096, par Chargée A');
      const own = ctx.db.prepare('SELECT id FROM funding_envelopes WHERE region_id = ? AND year = 2097').get(w.regionA.id) as { id: number };
      await post(charge, chargeToken, `${page}/${own.id}/supprimer`, {});
      text = pageText((await charge.get(page)).text);
      expect(text).to.contain('120 000 € Référence livrée avec Coordo, à vérifier');
      // Another region still sees the reference only.
      expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM funding_envelopes WHERE region_id IS NOT NULL').get()).to.deep.equal({ n: 0 });
    });
  });

  describe('bad input: the form again with a message naming the field, a 4xx, nothing written', () => {
    const cases: { name: string; path: (w: World) => string; who: 'bureau' | 'charge'; fields: Record<string, string>; field: string; message: string }[] = [
      { name: 'a contribution rate over 100 %', path: (w) => `/organisations/${w.orgA.id}/financement/contrat`, who: 'bureau', fields: { aci_size: '2', aci_start_year: '2023', new_post_rate_percent: '150' }, field: 'new_post_rate_percent', message: 'Taux de charges patronales : saisissez un pourcentage entier entre 0 et 100.' },
      { name: 'a size outside 1 to 4', path: (w) => `/organisations/${w.orgA.id}/financement/contrat`, who: 'bureau', fields: { aci_size: '5', aci_start_year: '2023', new_post_rate_percent: '45' }, field: 'aci_size', message: 'Taille de la CPTS : choisissez une taille de 1 à 4.' },
      { name: 'an absurd start year', path: (w) => `/organisations/${w.orgA.id}/financement/contrat`, who: 'bureau', fields: { aci_size: '2', aci_start_year: '1850', new_post_rate_percent: '45' }, field: 'aci_start_year', message: 'Année de début du contrat : saisissez une année entre 2019 et 2100.' },
      { name: 'a working time over 100 %', path: (w) => `/organisations/${w.orgA.id}/financement/charges`, who: 'bureau', fields: { kind: 'post', label: 'Coordination', gross_salary: '38000', fte_percent: '120', employer_rate_percent: '45' }, field: 'fte_percent', message: 'Temps de travail : saisissez un pourcentage entier entre 1 et 100 (100 pour un temps plein).' },
      { name: 'a negative salary', path: (w) => `/organisations/${w.orgA.id}/financement/charges`, who: 'bureau', fields: { kind: 'post', label: 'Coordination', gross_salary: '-38000', fte_percent: '100', employer_rate_percent: '45' }, field: 'gross_salary', message: 'Salaire brut annuel : saisissez un montant en euros entre 10 000 et 200 000, sans décimales.' },
      { name: 'an absurd salary', path: (w) => `/organisations/${w.orgA.id}/financement/charges`, who: 'bureau', fields: { kind: 'post', label: 'Coordination', gross_salary: '9000000', fte_percent: '100', employer_rate_percent: '45' }, field: 'gross_salary', message: 'Salaire brut annuel : saisissez un montant en euros entre 10 000 et 200 000, sans décimales.' },
      { name: 'a contribution rate over 100 % on a post', path: (w) => `/organisations/${w.orgA.id}/financement/charges`, who: 'bureau', fields: { kind: 'post', label: 'Coordination', gross_salary: '38000', fte_percent: '100', employer_rate_percent: '101' }, field: 'employer_rate_percent', message: 'Taux de charges patronales : saisissez un pourcentage entier entre 0 et 100.' },
      { name: 'a negative other cost', path: (w) => `/organisations/${w.orgA.id}/financement/charges`, who: 'bureau', fields: { kind: 'other', label: 'Loyer', amount: '-100' }, field: 'amount', message: 'Montant annuel : saisissez un montant positif en euros, sans décimales, d’au plus 1 000 000.' },
      { name: 'a cost in decimals', path: (w) => `/organisations/${w.orgA.id}/financement/charges`, who: 'bureau', fields: { kind: 'other', label: 'Loyer', amount: '1200,50' }, field: 'amount', message: 'Montant annuel : saisissez un montant positif en euros, sans décimales, d’au plus 1 000 000.' },
      { name: 'a cost without a label', path: (w) => `/organisations/${w.orgA.id}/financement/charges`, who: 'bureau', fields: { kind: 'other', label: '  ', amount: '1200' }, field: 'label', message: 'Intitulé : ce champ est obligatoire.' },
      { name: 'a negative envelope', path: (w) => `/regions/${w.regionA.id}/financement`, who: 'charge', fields: { size_class: '2', year: '2030', amount: '-105000', source: 'Avenant', source_date: '2029-01-01' }, field: 'amount', message: 'Montant du fonctionnement : saisissez un montant en euros entre 1 000 et 2 000 000, sans décimales.' },
      { name: 'an envelope without its source', path: (w) => `/regions/${w.regionA.id}/financement`, who: 'charge', fields: { size_class: '2', year: '2030', amount: '105000', source: '', source_date: '2029-01-01' }, field: 'source', message: 'Source : indiquez l’arrêté ou l’avenant d’où vient le montant.' },
      { name: 'an envelope with an impossible source date', path: (w) => `/regions/${w.regionA.id}/financement`, who: 'charge', fields: { size_class: '2', year: '2030', amount: '105000', source: 'Avenant', source_date: '2029-02-30' }, field: 'source_date', message: 'Date de la source : saisissez une date valide au format AAAA-MM-JJ.' },
    ];
    for (const c of cases) {
      it(`when the form gets ${c.name} then it is refused on that field`, async () => {
        const before = rowCounts(ctx.db);
        const res = c.who === 'bureau' ? await post(bureau, bureauToken, c.path(w), c.fields) : await post(charge, chargeToken, c.path(w), c.fields);
        expect(res.status).to.equal(422);
        expect(pageText(res.text)).to.contain(c.message);
        expect(res.text).to.contain(`id="f-${c.field}-error"`);
        expect(res.text).to.match(new RegExp(`id="f-${c.field}"[^>]*aria-invalid="true"`));
        // What was typed is kept.
        if (c.field !== 'aci_size' && c.fields[c.field]?.trim()) expect(res.text).to.contain(`value="${c.fields[c.field]}"`);
        expect(rowCounts(ctx.db)).to.deep.equal(before);
      });
    }

    it('when a cost of an unknown kind is posted then it is refused, not a 500', async () => {
      const before = rowCounts(ctx.db);
      const res = await post(bureau, bureauToken, `/organisations/${w.orgA.id}/financement/charges`, { kind: 'bonus', label: 'X', amount: '1' });
      expect(res.status).to.equal(422);
      expect(pageText(res.text)).to.contain('Type de charge : choisissez un poste ou une autre charge fixe.');
      expect(rowCounts(ctx.db)).to.deep.equal(before);
    });
  });
});
