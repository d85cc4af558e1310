import type { Translate } from '../../core/i18n.js';
import { simpleMail } from '../../core/mailer.js';

export function bureauNewApplicationMail(t: Translate, v: { name: string; candidate: string; posting: string; org: string; url: string; updated: boolean }) {
  return simpleMail({
    subject: t(v.updated ? 'applications.mail.bureau.subjectUpdated' : 'applications.mail.bureau.subject', { posting: v.posting }),
    greeting: t('applications.mail.greeting', { name: v.name }),
    paragraphs: [t(v.updated ? 'applications.mail.bureau.updated' : 'applications.mail.bureau.body', { candidate: v.candidate, posting: v.posting, org: v.org })],
    action: { label: t('applications.mail.bureau.action'), url: v.url },
    footer: t('mail.footer'),
  });
}

export function bureauDigestMail(t: Translate, v: { name: string; org: string; lines: string[]; url: string }) {
  return simpleMail({
    subject: t('applications.mail.digest.subject', { n: v.lines.length, org: v.org }),
    greeting: t('applications.mail.greeting', { name: v.name }),
    paragraphs: [t('applications.mail.digest.body', { n: v.lines.length, org: v.org }), ...v.lines],
    action: { label: t('applications.mail.digest.action'), url: v.url },
    footer: t('mail.footer'),
  });
}
