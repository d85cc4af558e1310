import { expect } from 'chai';
import fc from 'fast-check';
import request from 'supertest';
import { PageCache } from '../../server/core/page-cache.js';
import { anonymous, login } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { publishedPosting } from '../fixtures/postings.js';

describe('core: public page cache and the language switch without a session', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: ReturnType<typeof publishedPosting>;
  let cache: PageCache;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    cache = ctx.app.get('pageCache') as PageCache;
  });
  afterEach(() => ctx.close());

  const get = (path: string) => request(ctx.app).get(path);

  it('when a visitor without a session opens a posting then no session starts, and the next visitor gets the stored page', async () => {
    const first = await get(`/offres/${posting.slug}`);
    expect(first.status).to.equal(200);
    expect(first.headers['set-cookie']).to.equal(undefined);
    expect(first.text).not.to.contain('name="_csrf"');
    expect(ctx.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get()).to.equal(0);
    expect(cache.misses).to.equal(1);

    const second = await get(`/offres/${posting.slug}`).set('accept-encoding', 'gzip');
    expect(second.status).to.equal(200);
    expect(cache.hits).to.equal(1);
    expect(second.headers['content-encoding']).to.equal('gzip');
    expect(second.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(second.headers['content-security-policy']).to.contain("script-src 'self'");
    expect(second.headers.vary).to.contain('Cookie');
    expect(second.text).to.equal(first.text);

    const plain = await get(`/offres/${posting.slug}`).set('accept-encoding', 'identity');
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.text).to.equal(first.text);

    const etag = second.headers.etag as string;
    const notModified = await get(`/offres/${posting.slug}`).set('if-none-match', etag);
    expect(notModified.status).to.equal(304);
    const head = await request(ctx.app).head(`/offres/${posting.slug}`);
    expect(head.status).to.equal(200);
    expect(cache.hits).to.equal(4);
  });

  it('when a posting, its CPTS or a region changes (by any path) then the next view shows it', async () => {
    await get(`/offres/${posting.slug}`);
    await get('/offres');
    ctx.db.prepare('UPDATE postings SET title = ? WHERE id = ?').run('Coordinateur ou coordinatrice du Bocage (H/F)', posting.id);
    expect((await get(`/offres/${posting.slug}`)).text).to.contain('Coordinateur ou coordinatrice du Bocage');
    expect((await get('/offres')).text).to.contain('Coordinateur ou coordinatrice du Bocage');
    ctx.db.prepare('UPDATE organisations SET name = ? WHERE id = ?').run('CPTS du Bocage renommée', world.orgA.id);
    expect((await get(`/offres/${posting.slug}`)).text).to.contain('CPTS du Bocage renommée');
    ctx.db.prepare("UPDATE postings SET status = 'closed' WHERE id = ?").run(posting.id);
    expect((await get(`/offres/${posting.slug}`)).status).to.equal(410);
    expect((await get('/offres')).text).not.to.contain(`/offres/${posting.slug}"`);
    expect(cache.hits).to.equal(0);
  });

  it('when the cache is turned off (PUBLIC_CACHE_SECONDS=0) then every view is rendered and nothing is stored', async () => {
    const off = createTestContext({ PUBLIC_CACHE_SECONDS: '0' });
    try {
      const w = await createWorld(off.db);
      const p = publishedPosting(off.db, w.bureauA.id, w.orgA.id);
      const offCache = off.app.get('pageCache') as PageCache;
      for (let i = 0; i < 3; i++) expect((await request(off.app).get(`/offres/${p.slug}`)).status).to.equal(200);
      expect(offCache.size).to.equal(0);
      expect(offCache.hits).to.equal(0);
    } finally {
      off.close();
    }
  });

  it('when a page may be revalidated (visitor pages, rendered or cached, and the feed) then it has an ETag and a 304; a member\'s no-store page has none', async () => {
    const off = createTestContext({ PUBLIC_CACHE_SECONDS: '0' });
    try {
      const w = await createWorld(off.db);
      const p = publishedPosting(off.db, w.bureauA.id, w.orgA.id);
      for (const path of [`/offres/${p.slug}`, '/offres.atom']) {
        const rendered = await request(off.app).get(path);
        expect(rendered.headers.etag, path).to.match(/^"[\w-]+"$/);
        expect(rendered.headers['cache-control'], path).to.equal('no-cache');
        expect((await request(off.app).get(path).set('if-none-match', rendered.headers.etag)).status, path).to.equal(304);
      }
      const member = await login(off.app, w.bureauA.email, w.bureauA.password);
      for (const path of [`/offres/${p.slug}`, '/tableau-de-bord', '/offres.atom']) {
        const page = await member.get(path);
        expect(page.status, path).to.equal(200);
        expect(page.headers['cache-control'], path).to.equal('no-store');
        expect(page.headers.etag, path).to.equal(undefined);
      }
    } finally {
      off.close();
    }
  });

  it('when a request carries a session cookie or is not a GET then it has no cache key', () => {
    expect(PageCache.keyOf({ method: 'GET', headers: {}, originalUrl: '/offres?page=2' } as never, 'fr')).to.equal('fr|/offres?page=2');
    expect(PageCache.keyOf({ method: 'GET', headers: { cookie: 'a=b; coordo.sid=s%3Axyz' }, originalUrl: '/offres' } as never, 'fr')).to.equal(undefined);
    expect(PageCache.keyOf({ method: 'POST', headers: {}, originalUrl: '/offres' } as never, 'fr')).to.equal(undefined);
  });

  it('when a signed-in member opens public pages then they are rendered for them and never stored', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const page = await agent.get(`/offres/${posting.slug}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('/deconnexion');
    expect(cache.size).to.equal(0);
    // ...and an anonymous visitor afterwards never sees the member's page.
    const anon = await get(`/offres/${posting.slug}`);
    expect(anon.text).not.to.contain('/deconnexion');
    expect(anon.text).to.contain('/connexion');
  });

  it('when a page has a form (apply) then it starts a session with its token and is not stored', async () => {
    const form = await get(`/offres/${posting.slug}/postuler`);
    expect(form.status).to.equal(200);
    expect(form.text).to.match(/name="_csrf" value="[^"]+"/);
    expect(String(form.headers['set-cookie'])).to.contain('coordo.sid=');
    expect(cache.size).to.equal(0);
  });

  it('when the language is chosen by link or cookie then each language has its own stored page (the browser’s language is not a choice)', async () => {
    const fr = await get(`/offres/${posting.slug}`);
    expect(fr.text).to.contain('<html lang="fr"');
    expect((await get(`/offres/${posting.slug}`).set('accept-language', 'en-GB,en;q=0.9')).text).to.contain('<html lang="fr"');
    const en = await get(`/offres/${posting.slug}`).set('Cookie', 'coordo.lang=en');
    expect(en.text).to.contain('<html lang="en"');
    expect(en.headers['content-language']).to.equal('en');
    const agent = anonymous(ctx.app);
    const link = /href="(\/langue\?locale=en[^"]*)"/.exec(fr.text)?.[1].replaceAll('&amp;', '&');
    expect(link).to.equal(`/langue?locale=en&retour=${encodeURIComponent(`/offres/${posting.slug}`)}`);
    const switched = await agent.get(link!);
    expect(switched.status).to.equal(302);
    expect(switched.headers.location).to.equal(`/offres/${posting.slug}`);
    expect(String(switched.headers['set-cookie'])).to.match(/coordo\.lang=en;.*HttpOnly/);
    const after = await agent.get(`/offres/${posting.slug}`);
    expect(after.text).to.contain('<html lang="en"');
    expect(after.text).to.contain('href="/langue?locale=fr&amp;retour=');
    // The English browser got the stored French page; the chosen English page was stored once and served again.
    expect(cache.hits).to.equal(2);
    expect(ctx.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get()).to.equal(0);
  });

  it('when the language switch gets odd input then it answers 4xx or a same-site redirect, never a 5xx', async () => {
    expect((await get('/langue?locale=de&retour=/offres')).status).to.equal(422);
    expect((await get('/langue?locale=en&retour=//evil.example/x')).headers.location).to.equal('/');
    expect((await get('/langue?locale=en&retour=https://evil.example/')).headers.location).to.equal('/');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 80 }), async (locale, retour) => {
        const res = await get(`/langue?locale=${encodeURIComponent(locale)}&retour=${encodeURIComponent(retour)}`);
        expect(res.status).to.be.lessThan(500);
        if (res.status === 302) expect(res.headers.location).to.match(/^\/(?![/\\])/);
      }),
      { numRuns: 60 },
    );
  });
});
