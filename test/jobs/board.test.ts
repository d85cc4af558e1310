import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { createBlankPosting } from '../../server/features/jobs/service.js';
import { anonymous, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createOrganisation, createWorld } from '../helpers/factories.js';
import { draftPosting, inDays, publishedPosting } from '../fixtures/postings.js';
import { child, childrenNamed, parseXml } from '../fixtures/xml.js';
import { tagAuthority } from '../../server/core/instance.js';
import { endOfParisDay } from '../../server/features/jobs/feeds.js';

describe('jobs: public board, careers page, posting page with JSON-LD, Atom feed', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const jsonLdOf = (html: string): any => JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]);
  const setPublishedAt = (id: number, iso: string) => ctx.db.prepare('UPDATE postings SET published_at = ? WHERE id = ?').run(iso, id);

  it('when anyone opens /offres then only open published postings show, newest first, with no login', async () => {
    const older = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const newer = publishedPosting(ctx.db, world.bureauB.id, world.orgB.id, { template: 'case_manager' });
    setPublishedAt(older.id, '2026-01-01T10:00:00.000Z');
    setPublishedAt(newer.id, '2026-02-01T10:00:00.000Z');
    const draft = draftPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const closed = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    ctx.db.prepare("UPDATE postings SET status = 'closed' WHERE id = ?").run(closed.id);
    const expired = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    ctx.db.prepare('UPDATE postings SET deadline = ? WHERE id = ?').run(inDays(-1), expired.id);

    const res = await anonymous(ctx.app).get('/offres');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(`/offres/${newer.slug}`);
    expect(res.text).to.contain(`/offres/${older.slug}`);
    expect(res.text.indexOf(newer.slug)).to.be.lessThan(res.text.indexOf(older.slug));
    for (const hidden of [draft, closed, expired]) expect(res.text).not.to.contain(`/offres/${hidden.slug}"`);
    expect(pageText(res.text)).to.contain('2 offres ouvertes');
  });

  it('when filters are chosen then region, department, kind and contract narrow the list; odd values are ignored', async () => {
    const a = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const b = publishedPosting(ctx.db, world.bureauB.id, world.orgB.id, { template: 'case_manager' });
    const orgC = createOrganisation(ctx.db, world.regionA.id, { name: 'CPTS Charlie', department: 'Vendée (85)' });
    const charge = loadActor(ctx.db, world.chargeA.id)!;
    const c = createBlankPosting(ctx.db, charge, orgC.id, 'Assistant ou assistante (H/F)');
    ctx.db.prepare("UPDATE postings SET contract_type = 'CDD', contract_duration_months = 12, deadline = ?, description_md = 'Texte', status = 'published', published_at = ? WHERE id = ?").run(inDays(10), new Date().toISOString(), c.id);
    const regionSlug = (ctx.db.prepare('SELECT slug FROM regions WHERE id = ?').get(world.regionB.id) as { slug: string }).slug;
    const list = async (qs: string) => (await anonymous(ctx.app).get(`/offres?${qs}`)).text;
    const byRegion = await list(`region=${regionSlug}`);
    expect(byRegion).to.contain(b.slug);
    expect(byRegion).not.to.contain(a.slug);
    const byDept = await list(`department=${encodeURIComponent('Vendée (85)')}`);
    expect(byDept).to.contain(c.slug);
    expect(byDept).not.to.contain(a.slug);
    const byKind = await list('kind=case_manager');
    expect(byKind).to.contain(b.slug);
    expect(byKind).not.to.contain(c.slug);
    const byContract = await list('contract=CDD');
    expect(byContract).to.contain(c.slug);
    expect(byContract).not.to.contain(b.slug);
    const odd = await anonymous(ctx.app).get('/offres?kind=<script>&page=-4&contract[]=x&region=../../');
    expect(odd.status).to.equal(200);
    expect(odd.text).to.contain(a.slug);
    expect(odd.text).not.to.contain('<script>');
  });

  it('when there are more than ten postings then the board is paginated with links that keep the filters', async () => {
    for (let n = 0; n < 12; n++) publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const first = await anonymous(ctx.app).get('/offres?kind=coordinator');
    expect((first.text.match(/class="card"/g) ?? []).length).to.equal(10);
    expect(first.text).to.contain('href="/offres?kind=coordinator&amp;page=2"');
    const second = await anonymous(ctx.app).get('/offres?kind=coordinator&page=2');
    expect((second.text.match(/class="card"/g) ?? []).length).to.equal(2);
    expect(pageText(second.text)).to.contain('Page 2 sur 2');
    const beyond = await anonymous(ctx.app).get('/offres?page=99');
    expect(beyond.status).to.equal(200);
  });

  it('when the posting page is opened then its JSON-LD is a valid schema.org JobPosting with the required properties', async () => {
    const p = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const res = await anonymous(ctx.app).get(`/offres/${p.slug}`);
    expect(res.status).to.equal(200);
    const scripts = [...res.text.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    expect(scripts).to.have.length(1);
    const ld = JSON.parse(scripts[0][1]);
    const row = ctx.db.prepare('SELECT * FROM postings WHERE id = ?').get(p.id) as Record<string, unknown>;
    expect(ld['@context']).to.match(/schema\.org/);
    expect(ld['@type']).to.equal('JobPosting');
    expect(ld.title).to.equal(row.title);
    expect(ld.description).to.contain('<h2>').and.contain('CPTS Alpha');
    expect(ld.datePosted).to.equal(String(row.published_at).slice(0, 10));
    expect(ld.validThrough).to.match(new RegExp(`^${row.deadline}T23:59:59\\+0[12]:00$`));
    expect(ld.employmentType).to.deep.equal(['FULL_TIME']);
    expect(ld.hiringOrganization).to.include({ '@type': 'Organization', name: 'CPTS Alpha' });
    expect(ld.jobLocation['@type']).to.equal('Place');
    expect(ld.jobLocation.address).to.include({ '@type': 'PostalAddress', addressCountry: 'FR', addressRegion: 'Pays de la Loire' });
    expect(ld.baseSalary).to.deep.equal({ '@type': 'MonetaryAmount', currency: 'EUR', value: { '@type': 'QuantitativeValue', unitText: 'YEAR', minValue: row.salary_min, maxValue: row.salary_max } });
    expect(ld.directApply).to.equal(true);
    // Without a salary, no baseSalary.
    ctx.db.prepare('UPDATE postings SET salary_min = NULL, salary_max = NULL WHERE id = ?').run(p.id);
    const bare = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec((await anonymous(ctx.app).get(`/offres/${p.slug}`)).text)![1]);
    expect(bare).not.to.have.property('baseSalary');
  });

  it('when a posting’s text holds HTML or a script then the page, the JSON-LD and the feed stay inert', async () => {
    const p = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    ctx.db
      .prepare('UPDATE postings SET title = ?, summary = ?, description_md = ? WHERE id = ?')
      .run('Coordination </script><script>alert(1)</script>', '<b>gras</b> & "cité"', 'Texte <img src=x onerror=alert(1)> [lien](javascript:alert(2))', p.id);
    const res = await anonymous(ctx.app).get(`/offres/${p.slug}`);
    expect(res.text).not.to.contain('<script>alert(1)</script>');
    expect(res.text).not.to.match(/onerror|javascript:alert/);
    expect(res.text).to.contain('&lt;b&gt;gras&lt;/b&gt;');
    const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.text)![1]);
    expect(ld.title).to.equal('Coordination </script><script>alert(1)</script>');
    const feed = parseXml((await anonymous(ctx.app).get('/offres.atom')).text);
    expect(child(childrenNamed(feed, 'entry')[0], 'title')!.text).to.contain('</script><script>');
  });

  it('when /offres.atom is fetched then it is well-formed Atom 1.0 with the required feed and entry elements', async () => {
    const a = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const b = publishedPosting(ctx.db, world.bureauB.id, world.orgB.id, { template: 'case_manager' });
    draftPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const res = await anonymous(ctx.app).get('/offres.atom');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/atom\+xml/);
    const feed = parseXml(res.text);
    expect(feed.name).to.equal('feed');
    expect(feed.attrs.xmlns).to.equal('http://www.w3.org/2005/Atom');
    for (const name of ['id', 'title', 'updated', 'author']) expect(child(feed, name), name).not.to.equal(undefined);
    expect(new Date(child(feed, 'updated')!.text).toISOString()).to.equal(child(feed, 'updated')!.text);
    expect(childrenNamed(feed, 'link').map((l) => l.attrs.rel)).to.include('self');
    const entries = childrenNamed(feed, 'entry');
    expect(entries).to.have.length(2);
    const ids = new Set<string>();
    for (const e of entries) {
      for (const name of ['id', 'title', 'updated']) expect(child(e, name)?.text, name).to.be.a('string').and.not.equal('');
      expect(Number.isNaN(Date.parse(child(e, 'updated')!.text))).to.equal(false);
      const link = child(e, 'link')!;
      expect(link.attrs.rel).to.equal('alternate');
      expect(link.attrs.href).to.match(/^http:\/\/coordo\.test\/offres\//);
      ids.add(child(e, 'id')!.text);
    }
    const authority = tagAuthority(ctx.db, 'http://coordo.test');
    expect(authority).to.match(/^coordo\.test,\d{4}-\d{2}-\d{2}$/);
    expect(ids).to.deep.equal(new Set([`tag:${authority}:posting:${a.id}`, `tag:${authority}:posting:${b.id}`]));
    // The ids are permanent: an instance moved to another address keeps the authority it first had.
    expect(tagAuthority(ctx.db, 'https://coordo.example.org')).to.equal(authority);
  });

  it('when the CPTS and the posting give an address, a website and a logo then the JSON-LD carries them, the town without its département number', async () => {
    const p = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    ctx.db
      .prepare("UPDATE organisations SET street_address = '3 rue des Vignes', postal_code = '44190', city = 'Clisson', website_url = 'https://cpts-alpha.fr', logo_url = 'https://cpts-alpha.fr/logo.png' WHERE id = ?")
      .run(world.orgA.id);
    ctx.db.prepare("UPDATE postings SET location = 'Clisson (44)', street_address = '', postal_code = '' WHERE id = ?").run(p.id);
    const ld = jsonLdOf((await anonymous(ctx.app).get(`/offres/${p.slug}`)).text);
    expect(ld.jobLocation.address).to.deep.equal({
      '@type': 'PostalAddress',
      streetAddress: '3 rue des Vignes',
      addressLocality: 'Clisson',
      postalCode: '44190',
      addressRegion: 'Pays de la Loire',
      addressCountry: 'FR',
    });
    expect(ld.hiringOrganization).to.include({ sameAs: 'https://cpts-alpha.fr', logo: 'https://cpts-alpha.fr/logo.png', url: 'https://cpts-alpha.fr' });
    // The posting's own address wins over the seat's.
    ctx.db.prepare("UPDATE postings SET street_address = 'Maison de santé, 1 place du Marché', postal_code = '44120' WHERE id = ?").run(p.id);
    const own = jsonLdOf((await anonymous(ctx.app).get(`/offres/${p.slug}`)).text);
    expect(own.jobLocation.address).to.include({ streetAddress: 'Maison de santé, 1 place du Marché', postalCode: '44120' });
  });

  it('when a posting is part time then baseSalary is the pay at its working time, not the full-time figure', async () => {
    const p = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    ctx.db.prepare('UPDATE postings SET fte_percent = 80, hours_per_week = NULL, salary_min = 30000, salary_max = 40000 WHERE id = ?').run(p.id);
    const ld = jsonLdOf((await anonymous(ctx.app).get(`/offres/${p.slug}`)).text);
    expect(ld.baseSalary.value).to.include({ minValue: 24000, maxValue: 32000 });
    expect(ld.employmentType).to.deep.equal(['PART_TIME']);
    ctx.db.prepare('UPDATE postings SET fte_percent = NULL, hours_per_week = 28 WHERE id = ?').run(p.id);
    expect(jsonLdOf((await anonymous(ctx.app).get(`/offres/${p.slug}`)).text).baseSalary.value).to.include({ minValue: 24000, maxValue: 32000 });
  });

  it('when the deadline falls in winter or in summer then validThrough ends that day in Paris with that day’s offset', () => {
    expect(endOfParisDay('2027-01-15')).to.equal('2027-01-15T23:59:59+01:00');
    expect(endOfParisDay('2027-07-15')).to.equal('2027-07-15T23:59:59+02:00');
    // The days the clocks change (last Sundays of March and October 2027).
    expect(endOfParisDay('2027-03-28')).to.equal('2027-03-28T23:59:59+02:00');
    expect(endOfParisDay('2027-10-31')).to.equal('2027-10-31T23:59:59+01:00');
  });

  it('when a CPTS careers page is opened then it shows its presentation and only its open postings', async () => {
    const a = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const b = publishedPosting(ctx.db, world.bureauB.id, world.orgB.id);
    const res = await anonymous(ctx.app).get(`/cpts/${world.orgA.slug}/offres`);
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.contain('Travailler à la CPTS Alpha');
    expect(text).to.contain('Présentation de test.');
    expect(res.text).to.contain(a.slug);
    expect(res.text).not.to.contain(b.slug);
    expect((await anonymous(ctx.app).get('/cpts/inconnue/offres')).status).to.equal(404);
    expect((await anonymous(ctx.app).get('/cpts/..%2F..%2Fetc/offres')).status).to.equal(404);
  });

  it('when a draft, closed, filled, expired or unknown posting is asked for then 404 or 410, never its content', async () => {
    const draft = draftPosting(ctx.db, world.bureauA.id, world.orgA.id);
    expect((await anonymous(ctx.app).get(`/offres/${draft.slug}`)).status).to.equal(404);
    expect((await anonymous(ctx.app).get(`/offres/${draft.slug}/postuler`)).status).to.equal(404);
    const p = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    for (const status of ['closed', 'filled']) {
      ctx.db.prepare('UPDATE postings SET status = ? WHERE id = ?').run(status, p.id);
      const res = await anonymous(ctx.app).get(`/offres/${p.slug}`);
      expect(res.status).to.equal(410);
      expect(pageText(res.text)).to.contain('est close');
      expect(res.text).not.to.contain('application/ld+json');
    }
    ctx.db.prepare("UPDATE postings SET status = 'published', deadline = ? WHERE id = ?").run(inDays(-3), p.id);
    expect((await anonymous(ctx.app).get(`/offres/${p.slug}`)).status).to.equal(410);
    expect((await anonymous(ctx.app).get('/offres/nexiste-pas')).status).to.equal(404);
    expect((await anonymous(ctx.app).get('/offres/UPPER_case')).status).to.equal(404);
  });
});
