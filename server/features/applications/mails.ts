import type { Locale, Translate } from '../../core/i18n.js';
import { simpleMail } from '../../core/mailer.js';

export function bureauNewApplicationMail(t: Translate, v: { lang: Locale; name: string; candidate: string; posting: string; org: string; url: string }) {
  return simpleMail({
    subject: t('applications.mail.bureau.subject', { posting: v.posting }),
    greeting: t('applications.mail.greeting', { name: v.name }),
    paragraphs: [t('applications.mail.bureau.body', { candidate: v.candidate, posting: v.posting, org: v.org })],
    action: { label: t('applications.mail.bureau.action'), url: v.url },
    footer: t('mail.footer'),
    lang: v.lang,
  });
}

/**
 * To the address of an application when the form is sent again with it: nothing was changed,
 * and the private link is where the candidate completes the application. `name` is the one on
 * file, never what the new form said.
 */
export function alreadyAppliedMail(t: Translate, v: { lang: Locale; name: string; posting: string; org: string; contact: string; url: string }) {
  return simpleMail({
    subject: t('applications.mail.reapply.subject', { posting: v.posting }),
    greeting: t('applications.mail.greeting', { name: v.name }),
    paragraphs: [t('applications.mail.reapply.body', { posting: v.posting, org: v.org }), t('applications.mail.reapply.link')],
    action: { label: t('applications.mail.reapply.action'), url: v.url },
    after: [t('applications.mail.reapply.notYou', { contact: v.contact })],
    footer: t('mail.footer'),
    lang: v.lang,
  });
}

/** The daily digest: new applications, then those waiting for a reply beyond the CPTS's delay. */
export function bureauDigestMail(t: Translate, v: { lang: Locale; name: string; org: string; lines: string[]; url: string; waiting?: { days: number; lines: string[] } }) {
  const waiting = v.waiting && v.waiting.lines.length ? [t('applications.mail.digest.waitingTitle', { n: v.waiting.days }), ...v.waiting.lines] : [];
  return simpleMail({
    subject: v.lines.length ? t('applications.mail.digest.subject', { n: v.lines.length, org: v.org }) : t('applications.mail.digest.waitingSubject', { n: v.waiting?.lines.length ?? 0, org: v.org }),
    greeting: t('applications.mail.greeting', { name: v.name }),
    paragraphs: [...(v.lines.length ? [t('applications.mail.digest.body', { n: v.lines.length, org: v.org }), ...v.lines] : [t('applications.mail.digest.waitingBody', { org: v.org })]), ...waiting],
    action: { label: t('applications.mail.digest.action'), url: v.url },
    footer: t('mail.footer'),
    lang: v.lang,
  });
}
