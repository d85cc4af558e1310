import { expect } from 'chai';
import { enqueueMail, simpleMail } from '../../server/core/mailer.js';
import { createI18n } from '../../server/core/i18n.js';
import { postingLabel, postingLabelShort } from '../../server/core/posting-label.js';
import { CATALOGUES } from '../../server/app.js';
import { createTestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { mailsWithBareTitles } from '../helpers/mail-references.js';
import { publishedPosting } from '../fixtures/postings.js';

/**
 * The check every test context runs on its outbox when it closes (helpers/app.ts): it must find a
 * mail naming a posting by its bare title, and accept the labels the app writes, in both
 * languages, whatever the posting is called since.
 */
describe('postings: every mail of every test names a posting with its reference', () => {
  const i18n = createI18n([...CATALOGUES]);

  async function withMail(build: (posting: { title: string; reference: string | null }, t: ReturnType<typeof i18n.translator>) => { subject: string; paragraph: string }, lang: 'fr' | 'en' = 'fr') {
    const ctx = createTestContext();
    const world = await createWorld(ctx.db);
    const { id } = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const posting = ctx.db.prepare('SELECT title, reference, status, published_at, deadline, closed_at FROM postings WHERE id = ?').get(id) as { title: string; reference: string | null };
    const t = i18n.translator(lang);
    const { subject, paragraph } = build(posting, t);
    enqueueMail(ctx.db, { template: 'test.mail', to: 'x@example.test', ...simpleMail({ subject, greeting: 'Bonjour,', paragraphs: [paragraph], footer: '', lang }) });
    return { ctx, found: mailsWithBareTitles(ctx.db), posting };
  }

  it('when a mail names a posting by its bare title then the check finds it, and closing the test context fails', async () => {
    const { ctx, found, posting } = await withMail((p) => ({ subject: `Nouvelle candidature pour ${p.title}`, paragraph: `Le poste « ${p.title} » a reçu une candidature.` }));
    expect(found).to.have.length(4); // subject, text, and the HTML's title and paragraph
    expect(found[0]).to.contain('(test.mail), subject').and.to.contain(posting.title);
    expect(() => ctx.close()).to.throw(/without its reference/);
  });

  it('when a mail names it with the label (full or short, French or English) then the check is satisfied, also after the posting is renamed', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const { ctx, found } = await withMail((p, t) => ({ subject: `Nouvelle candidature pour ${postingLabelShort(p, t)}`, paragraph: `Le poste « ${postingLabel(p, t, lang)} » a reçu une candidature.` }), lang);
      expect(found, lang).to.deep.equal([]);
      // The posting is renamed, and another one has the title it had: the mail keeps that title
      // with the first posting's reference, which still tells it apart.
      const first = ctx.db.prepare('SELECT id, title, organisation_id FROM postings ORDER BY id LIMIT 1').get() as { id: number; title: string; organisation_id: number };
      const bureau = ctx.db.prepare("SELECT user_id FROM memberships WHERE organisation_id = ? AND role = 'bureau' LIMIT 1").pluck().get(first.organisation_id) as number;
      const second = publishedPosting(ctx.db, bureau, first.organisation_id);
      ctx.db.prepare('UPDATE postings SET title = ? WHERE id = ?').run(first.title, second.id);
      ctx.db.prepare("UPDATE postings SET title = 'Un autre intitulé de poste' WHERE id = ?").run(first.id);
      expect(ctx.db.prepare('SELECT COUNT(*) FROM postings WHERE title = ?').pluck().get(first.title), lang).to.equal(1);
      expect(mailsWithBareTitles(ctx.db), lang).to.deep.equal([]);
      ctx.close();
    }
  });
});
