import type { DB } from '../../core/db.js';
import { postingLabel } from '../../core/posting-label.js';
import { nowIso } from '../../core/db.js';
import { Invalid } from '../../core/errors.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { writerFor } from '../../core/mail-locale.js';
import type { Actor } from '../../core/policy.js';
import { viewableApplication, type MailContext } from './access.js';
import { displayName } from './anonymity.js';
import { identityFor } from './identity.js';
import * as q from './queries.js';

/** Mentioned members: the ticked boxes plus "@Name" written in the text. */
function mentionedIn(body: string, ticked: number[], members: { id: number; name: string; email: string }[]) {
  const lower = body.toLocaleLowerCase('fr');
  return members.filter((m) => ticked.includes(m.id) || lower.includes(`@${m.name.toLocaleLowerCase('fr')}`));
}

export function addNote(
  db: DB,
  actor: Actor,
  applicationId: number,
  input: { body: string; mentions: number[] },
  ctx: MailContext,
  form: { view?: string; locals?: Record<string, unknown> } = {},
  now = new Date(),
) {
  return db.transaction(() => {
    const app = viewableApplication(db, actor, applicationId, 'pipeline.note');
    const members = q.mentionableMembers(db, app.organisation_id, app.region_id);
    if (input.mentions.some((id) => !members.some((m) => m.id === id))) throw new Invalid({ mentions: 'errors.choice' }, form.view, form.locals);
    const at = nowIso(now);
    const noteId = q.insertNote(db, { organisationId: app.organisation_id, applicationId, authorId: actor.id, authorName: actor.name, body: input.body }, at);
    const mentioned = mentionedIn(input.body, input.mentions, members).filter((m) => m.id !== actor.id);
    for (const m of mentioned) {
      q.insertMention(db, noteId, m.id);
      // Each colleague reads the application as they see it (the anonymity rule, per reader),
      // in their own language.
      const { t, locale } = writerFor(db, ctx, { userId: m.id });
      const candidate = displayName(t, identityFor(db, applicationId, m.id));
      const mail = simpleMail({
        subject: t('pipeline.mail.mention.subject', { posting: postingLabel(app, t, locale) }),
        greeting: t('pipeline.mail.mention.greeting', { name: m.name }),
        paragraphs: [t('pipeline.mail.mention.body', { author: actor.name, candidate, posting: postingLabel(app, t, locale), org: app.org_name })],
        action: { label: t('pipeline.mail.mention.action'), url: `${ctx.baseUrl}/recrutement/candidatures/${applicationId}#note-${noteId}` },
        footer: t('mail.footer'),
        lang: locale,
      });
      enqueueMail(db, { template: 'pipeline.mention', to: m.email, organisationId: app.organisation_id, applicationIds: [applicationId], ...mail }, now);
    }
    return { noteId, mentioned: mentioned.length };
  })();
}
