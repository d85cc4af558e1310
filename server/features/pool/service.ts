/**
 * The regional talent pool (issue 17): a region's chargée de mission searches the candidates of
 * the region's closed recruitments who agreed to be shared with the region, runner-ups first,
 * and proposes one for another CPTS's open posting. The candidate answers through the mailed
 * link, which is the proof: only an acceptance creates an application in that CPTS (a new
 * candidate row there, the documents they ticked copied), the first CPTS's application is
 * unchanged. Every step is audited.
 */
import { labelFields, postingLabelShort, type PostingLike } from '../../core/posting-label.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, NotFound } from '../../core/errors.js';
import { formatDate, parisDay, type Locale, type Translate } from '../../core/i18n.js';
import { applicationLocale, writerFor, type Translators } from '../../core/mail-locale.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { regionIdsOf, type Actor } from '../../core/policy.js';
import { hashToken, newToken } from '../../core/tokens.js';
import { createApplication, mayMailCandidate, type NewDocument } from '../applications/service.js';
import { removeStored, storeDurably, storedPath, tempRoot } from '../applications/files.js';
import { presentIdentity } from '../pipeline/anonymity.js';
import * as q from './queries.js';
import { ftsQuery, regionToken } from './search-index.js';

/** Results shown at once: the search narrows, the page does not scroll through a region. */
export const POOL_PAGE = 50;
/** How long a proposal's link works. */
export const PROPOSAL_DAYS = 30;

/** Only the region's chargées de mission reach its pool (not the instance admin: GDPR, hiring only). */
export function assertPoolAccess(actor: Actor, regionId: number): void {
  if (!regionIdsOf(actor).includes(regionId)) throw new NotFound();
}

/** The FTS5 query for a search in a region: the region's token and every word, as prefixes. */
export function poolMatch(regionId: number, text: string): string | undefined {
  const words = ftsQuery(text);
  return words ? `region : ${regionToken(regionId)} AND body : (${words})` : undefined;
}

const EXCERPT = 240;

/** What the chargée reads of a pooled application: the anonymity rule decides the name and the excerpt. */
function present(t: Translate, row: q.PoolRow) {
  const who = presentIdentity(t, row);
  const text = who.redact(row.message);
  return {
    id: row.id,
    orgName: row.org_name,
    organisationId: row.organisation_id,
    postingId: row.posting_id,
    postingTitle: row.posting_title,
    posting: labelFields(row as unknown as PostingLike),
    reachedName: row.reached_name,
    lastContactAt: row.last_contact_at,
    masked: Boolean(row.masked),
    who,
    excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT).trimEnd()}…` : text,
  };
}

export type PoolEntry = ReturnType<typeof present> & { proposals: (q.ProposalRow & { posting_title: string; org_name: string })[]; postings: q.OpenPosting[] };

export function regionPool(db: DB, actor: Actor, regionId: number, text: string, t: Translate, now = new Date()) {
  assertPoolAccess(actor, regionId);
  const match = poolMatch(regionId, text);
  const searched = text.trim() !== '';
  // Words with no letter or digit search for nothing, rather than listing everything.
  const { rows, total } = searched && !match ? { rows: [], total: 0 } : q.poolApplications(db, regionId, actor.id, match, POOL_PAGE);
  const postings = q.openPostingsOfRegion(db, regionId, parisDay(now));
  const proposals = q.proposalsOf(db, rows.map((r) => r.id));
  const entries: PoolEntry[] = rows.map((r) => ({
    ...present(t, r),
    proposals: proposals.filter((p) => p.source_application_id === r.id),
    // Another CPTS's posting, not already proposed for this candidate.
    postings: postings.filter((p) => p.organisation_id !== r.organisation_id && !proposals.some((x) => x.source_application_id === r.id && x.posting_id === p.id)),
  }));
  return { entries, total, searched };
}

function proposalMail(t: Translate, lang: Locale, v: { name: string; proposer: string; sourcePosting: string; sourceOrg: string; posting: string; org: string; url: string; until: string; months: number }) {
  return simpleMail({
    subject: t('pool.mail.subject', { posting: v.posting, org: v.org }),
    greeting: t('applications.mail.greeting', { name: v.name }),
    paragraphs: [t('pool.mail.why', { posting: v.sourcePosting, org: v.sourceOrg, months: v.months }), t('pool.mail.proposal', { proposer: v.proposer, posting: v.posting, org: v.org }), t('pool.mail.choice', { org: v.org })],
    action: { label: t('pool.mail.action'), url: v.url },
    after: [t('pool.mail.until', { date: v.until }), t('pool.mail.leave')],
    footer: t('mail.footer'),
    lang,
  });
}

/**
 * The chargée proposes a pooled candidate for an open posting of another CPTS of the region:
 * a proposal with a hashed token, a mail to the candidate naming that CPTS and posting, the
 * source application's timeline and the audit log. Nothing reaches the other CPTS yet.
 */
export function propose(db: DB, actor: Actor, regionId: number, applicationId: number, postingId: number, ctx: { baseUrl: string; translator: Translators; ip: string; talentPoolMonths: number; now?: Date }): void {
  assertPoolAccess(actor, regionId);
  const now = ctx.now ?? new Date();
  const at = nowIso(now);
  db.transaction(() => {
    const source = q.poolApplication(db, regionId, actor.id, applicationId);
    if (!source) throw new NotFound();
    const posting = q.openPostingsOfRegion(db, regionId, parisDay(now)).find((p) => p.id === postingId);
    if (!posting || posting.organisation_id === source.organisation_id) throw new Conflict('pool.errors.postingNotOpen');
    if (q.proposalFor(db, applicationId, postingId)) throw new Conflict('pool.errors.alreadyProposed');
    if (q.alreadyAtPosting(db, postingId, source.email)) throw new Conflict('pool.errors.alreadyApplied');
    const { token, hash } = newToken();
    const expiresAt = new Date(now.getTime() + PROPOSAL_DAYS * 86_400_000);
    const proposalId = q.insertProposal(
      db,
      { region_id: regionId, source_application_id: applicationId, posting_id: postingId, organisation_id: posting.organisation_id, proposed_by: actor.id, proposer_name: actor.name, token_hash: hash, expires_at: nowIso(expiresAt) },
      at,
    );
    // In the language the candidate applied in.
    const { t, locale } = writerFor(db, ctx, { applicationId });
    const mail = proposalMail(t, locale, {
      name: source.full_name,
      proposer: actor.name,
      sourcePosting: postingLabelShort(source, t),
      sourceOrg: source.org_name,
      posting: postingLabelShort(posting, t),
      org: posting.org_name,
      url: `${ctx.baseUrl}/vivier/${token}`,
      until: formatDate(nowIso(expiresAt), locale),
      months: ctx.talentPoolMonths,
    });
    enqueueMail(db, { template: 'pool.proposal', to: source.email, organisationId: source.organisation_id, applicationIds: [applicationId], automatic: false, ...mail }, now);
    db.prepare('INSERT INTO application_events (application_id, organisation_id, user_id, action, details, at) VALUES (?, ?, ?, ?, ?, ?)').run(
      applicationId,
      source.organisation_id,
      actor.id,
      'region_pool_proposed',
      JSON.stringify({ proposalId, postingId }),
      at,
    );
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pool.proposed', organisationId: source.organisation_id, targetType: 'application', targetId: applicationId, ip: ctx.ip, details: { proposalId, postingId, organisationId: posting.organisation_id } });
  })();
}

export type ProposalState = { state: 'pending'; proposal: q.ProposalView; source: SourceView } | { state: 'answered'; proposal: q.ProposalView } | { state: 'closed' | 'expired' | 'unknown' };

export type SourceView = { id: number; organisation_id: number; email: string; first_name: string; last_name: string; phone: string; message: string; region_pool_consent: number; posting_title: string; org_name: string };

const sourceOf = (db: DB, applicationId: number) =>
  db
    .prepare(
      `SELECT a.id, a.organisation_id, c.email, c.first_name, c.last_name, c.phone, a.message, a.region_pool_consent, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, o.name AS org_name
       FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN postings p ON p.id = a.posting_id JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?`,
    )
    .get(applicationId) as SourceView | undefined;

/** The proposal behind a mailed link, and whether it can still be answered. */
export function resolveProposal(db: DB, token: string, now = new Date()): ProposalState {
  const proposal = q.proposalByHash(db, hashToken(token));
  if (!proposal) return { state: 'unknown' };
  if (proposal.status === 'accepted' || proposal.status === 'declined') return { state: 'answered', proposal };
  if (proposal.status === 'cancelled') return { state: 'closed' };
  if (proposal.expires_at <= nowIso(now)) return { state: 'expired' };
  const source = sourceOf(db, proposal.source_application_id);
  const open = proposal.posting_status === 'published' && (!proposal.posting_deadline || proposal.posting_deadline >= parisDay(now));
  if (!source || source.region_pool_consent !== 1 || !open) return { state: 'closed' };
  return { state: 'pending', proposal, source };
}

export const documentsOfSource = (db: DB, applicationId: number) =>
  db.prepare('SELECT id, kind, original_name, file_type, size_bytes, stored_name, sha256 FROM application_documents WHERE application_id = ? ORDER BY id').all(applicationId) as {
    id: number;
    kind: 'cv' | 'other';
    original_name: string;
    file_type: 'pdf' | 'docx' | 'odt';
    size_bytes: number;
    stored_name: string;
    sha256: string;
  }[];

/** A durable copy of a stored document under a new random name: each CPTS's file is its own (erasure in one leaves the other). */
function copyStored(uploadDir: string, storedName: string) {
  const tmpDir = tempRoot(uploadDir);
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `pool-${crypto.randomBytes(12).toString('hex')}`);
  fs.copyFileSync(storedPath(uploadDir, storedName), tmp);
  return storeDurably(tmp, uploadDir);
}

/**
 * The candidate accepts through their link: in one transaction, a new application in the
 * posting's CPTS (its own candidate row, the message they confirmed, copies of the documents
 * they ticked, the usual acknowledgement and bureau notice through the anonymity rule), the
 * proposal answered, the source's timeline and the audit log. Returns the new application id.
 */
export function acceptProposal(
  db: DB,
  state: Extract<ProposalState, { state: 'pending' }>,
  input: { documents: number[]; message: string },
  ctx: { baseUrl: string; uploadDir: string; translator: Translators; ip: string; pageLocale?: Locale | null; now?: Date },
): number {
  const now = ctx.now ?? new Date();
  const at = nowIso(now);
  const { proposal, source } = state;
  const available = documentsOfSource(db, source.id);
  const chosen = available.filter((d) => input.documents.includes(d.id));
  const copies = chosen.map((d) => ({ d, stored: copyStored(ctx.uploadDir, d.stored_name) }));
  try {
    return db.transaction(() => {
      if (q.alreadyAtPosting(db, proposal.posting_id, source.email)) throw new Conflict('pool.errors.alreadyApplied');
      const posting = { id: proposal.posting_id, organisation_id: proposal.organisation_id, title: proposal.posting_title, reference: proposal.posting_reference, org_name: proposal.org_name, contact_email: proposal.contact_email, org_email: proposal.org_email };
      const documents: NewDocument[] = copies.map(({ d, stored }) => ({ kind: d.kind, displayName: d.original_name, type: d.file_type, stored }));
      const applicationId = createApplication(
        db,
        posting,
        { email: source.email, first_name: source.first_name, last_name: source.last_name, phone: source.phone, message: input.message, source: 'region_pool', talentPool: false, regionPool: false },
        documents,
        { baseUrl: ctx.baseUrl, uploadDir: ctx.uploadDir, translator: ctx.translator, locale: ctx.pageLocale ?? applicationLocale(db, source.id), now, mayMail: mayMailCandidate(db, source.email, now) },
      );
      if (!q.answerProposal(db, proposal.id, 'accepted', applicationId, at)) throw new Conflict('pool.errors.answered');
      db.prepare('UPDATE applications SET last_contact_at = ?, updated_at = ? WHERE id = ?').run(at, at, source.id);
      db.prepare('INSERT INTO application_events (application_id, organisation_id, user_id, action, details, at) VALUES (?, ?, NULL, ?, ?, ?)').run(
        source.id,
        source.organisation_id,
        'region_pool_accepted',
        JSON.stringify({ proposalId: proposal.id, postingId: proposal.posting_id }),
        at,
      );
      audit(db, { actorLabel: 'candidat·e', action: 'pool.accepted', organisationId: source.organisation_id, targetType: 'application', targetId: source.id, ip: ctx.ip, details: { proposalId: proposal.id, postingId: proposal.posting_id } });
      audit(db, { actorLabel: 'candidat·e', action: 'pool.application_created', organisationId: proposal.organisation_id, targetType: 'application', targetId: applicationId, ip: ctx.ip, details: { proposalId: proposal.id, documents: documents.length } });
      return applicationId;
    })();
  } catch (err) {
    removeStored(ctx.uploadDir, copies.map((c) => c.stored.storedName));
    throw err;
  }
}

/** The candidate declines: the proposal is answered, nothing reaches the other CPTS. */
export function declineProposal(db: DB, state: Extract<ProposalState, { state: 'pending' }>, ip: string, now = new Date()): void {
  const at = nowIso(now);
  const { proposal, source } = state;
  db.transaction(() => {
    if (!q.answerProposal(db, proposal.id, 'declined', null, at)) throw new Conflict('pool.errors.answered');
    db.prepare('UPDATE applications SET last_contact_at = ?, updated_at = ? WHERE id = ?').run(at, at, source.id);
    db.prepare('INSERT INTO application_events (application_id, organisation_id, user_id, action, details, at) VALUES (?, ?, NULL, ?, ?, ?)').run(
      source.id,
      source.organisation_id,
      'region_pool_declined',
      JSON.stringify({ proposalId: proposal.id, postingId: proposal.posting_id }),
      at,
    );
    audit(db, { actorLabel: 'candidat·e', action: 'pool.declined', organisationId: source.organisation_id, targetType: 'application', targetId: source.id, ip, details: { proposalId: proposal.id, postingId: proposal.posting_id } });
  })();
}
