import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { formatDate, type Translate } from '../../core/i18n.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { addDays, todayInParis } from './dates.js';
import * as q from './queries.js';

export const DIGEST_HORIZON_DAYS = 7;
/** Open steps overdue by more than this many days are escalated to the CPTS's bureau, once. */
export const ESCALATE_AFTER_DAYS = 7;

/** Monday in Paris: the day weekly digests go out. */
function isMonday(day: string): boolean {
  return new Date(`${day}T12:00:00Z`).getUTCDay() === 1;
}

/**
 * Sends each owner one mail listing their open steps due within 7 days and the overdue ones.
 * Nothing due: no mail. A row in onboarding_digests per (owner, day) keeps a second run the
 * same day (another process, the CLI) from sending again; mail and row share a transaction.
 */
export function sendOnboardingDigests(db: DB, ctx: { baseUrl: string; translator: (locale: 'fr' | 'en') => Translate }, now = new Date()): { sent: number } {
  const today = todayInParis(now);
  const rows = q.openStepsDueBy(db, addDays(today, DIGEST_HORIZON_DAYS));
  const byOwner = new Map<number, q.OwnedStepRow[]>();
  for (const r of rows) byOwner.set(r.owner_id, [...(byOwner.get(r.owner_id) ?? []), r]);
  let sent = 0;
  const prefs = q.digestPreferences(db);
  for (const [ownerId, steps] of byOwner) {
    const pref = prefs.get(ownerId) ?? 'daily';
    if (pref === 'off' || (pref === 'weekly' && !isMonday(today))) continue;
    const didSend = db.transaction(() => {
      if (q.digestSent(db, ownerId, today)) return false;
      const owner = steps[0];
      const t = ctx.translator(owner.owner_locale);
      const line = (s: q.OwnedStepRow) =>
        `${t('onboarding.digest.line', { date: formatDate(s.due_date, owner.owner_locale), title: s.title, hire: s.hire_name, org: s.organisation_name })} (${ctx.baseUrl}/integration/${s.plan_id}#etape-${s.step_id})`;
      const orgs = new Set(steps.map((s) => s.organisation_id));
      const overdue = steps.filter((s) => s.due_date < today);
      const soon = steps.filter((s) => s.due_date >= today);
      const paragraphs = [
        ...(overdue.length ? [t('onboarding.digest.overdue', { n: overdue.length }), ...overdue.map(line)] : []),
        ...(soon.length ? [t('onboarding.digest.soon', { n: soon.length }), ...soon.map(line)] : []),
      ];
      const mail = simpleMail({
        subject: t('onboarding.digest.subject', { n: steps.length }),
        greeting: t('onboarding.digest.greeting', { name: owner.owner_name }),
        paragraphs,
        action: { label: t('onboarding.digest.action'), url: `${ctx.baseUrl}/tableau-de-bord#mes-etapes` },
        footer: t('mail.footer'),
        lang: owner.owner_locale,
      });
      enqueueMail(db, { template: 'onboarding.digest', to: owner.owner_email, ...mail, organisationId: orgs.size === 1 ? steps[0].organisation_id : null }, now);
      q.recordDigest(db, ownerId, today, nowIso(now));
      return true;
    })();
    if (didSend) sent++;
  }
  return { sent };
}

/**
 * Tells the bureau of each CPTS about the open steps overdue by more than ESCALATE_AFTER_DAYS, in
 * one mail per bureau member and CPTS. Each step's escalated_at is its sent-marker, set in the
 * mail's transaction: a step is escalated once.
 */
export function escalateOverdueSteps(db: DB, ctx: { baseUrl: string; translator: (locale: 'fr' | 'en') => Translate }, now = new Date()): { sent: number } {
  const today = todayInParis(now);
  const rows = q.stepsToEscalate(db, addDays(today, -ESCALATE_AFTER_DAYS));
  const byOrg = new Map<number, q.EscalationRow[]>();
  for (const r of rows) byOrg.set(r.organisation_id, [...(byOrg.get(r.organisation_id) ?? []), r]);
  let sent = 0;
  for (const [orgId, steps] of byOrg) {
    db.transaction(() => {
      const fresh = steps.filter((s) => q.markEscalated(db, s.step_id, nowIso(now)));
      if (!fresh.length) return;
      for (const member of q.bureauOf(db, orgId)) {
        const t = ctx.translator(member.locale);
        const org = fresh[0].organisation_name;
        const mail = simpleMail({
          subject: t('onboarding.escalation.subject', { n: fresh.length, days: ESCALATE_AFTER_DAYS, org }),
          greeting: t('onboarding.digest.greeting', { name: member.name }),
          paragraphs: [
            t('onboarding.escalation.intro', { org, days: ESCALATE_AFTER_DAYS }),
            ...fresh.map((s) => t('onboarding.escalation.line', { title: s.title, hire: s.hire_name, owner: s.owner_name ?? '—', date: formatDate(s.due_date, member.locale) })),
          ],
          action: { label: t('onboarding.escalation.action'), url: `${ctx.baseUrl}/organisations/${orgId}/integration` },
          footer: t('mail.footer'),
          lang: member.locale,
        });
        enqueueMail(db, { template: 'onboarding.escalation', to: member.email, organisationId: orgId, ...mail }, now);
        sent++;
      }
    })();
  }
  return { sent };
}
