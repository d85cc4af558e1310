import { simpleMail } from '../../core/mailer.js';
import type { Locale, Translate } from '../../core/i18n.js';

export function invitationMail(t: Translate, v: { lang: Locale; name: string; inviter: string; target: string; role: string; url: string; days: number }) {
  return simpleMail({
    subject: t('auth.mail.invitation.subject', { target: v.target }),
    greeting: t('auth.mail.greeting', { name: v.name }),
    paragraphs: [t('auth.mail.invitation.body', { inviter: v.inviter, target: v.target, role: v.role }), t('auth.mail.invitation.expiry', { days: v.days })],
    action: { label: t('auth.mail.invitation.action'), url: v.url },
    footer: t('mail.footer'),
    lang: v.lang,
  });
}

export function resetMail(t: Translate, v: { lang: Locale; name: string; url: string; minutes: number }) {
  return simpleMail({
    subject: t('auth.mail.reset.subject'),
    greeting: t('auth.mail.greeting', { name: v.name }),
    paragraphs: [t('auth.mail.reset.body'), t('auth.mail.reset.expiry', { minutes: v.minutes })],
    action: { label: t('auth.mail.reset.action'), url: v.url },
    after: [t('auth.mail.reset.ignore')],
    footer: t('mail.footer'),
    lang: v.lang,
  });
}
