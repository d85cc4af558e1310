/**
 * The national-scale dataset of the benchmark, written with direct SQL in big transactions
 * (the app's own migrations create the schema first). Deterministic for a given seed.
 *
 * Shape: 13 regions (three of them with exactly 77, 10 and 300 CPTS, the others sharing the
 * rest), 1,000 CPTS, 10,000 postings (10 per CPTS), 200,000 applications (three postings of the
 * first CPTS with exactly 500, 50 and 5,000), about 1,000,000 ratings (each evaluated candidate
 * has 6 submitted evaluations, one per panelist, each rating every criterion of the posting's
 * scorecard; every candidate of the three postings is evaluated), 5,000 onboarding plans with
 * their steps copied from the region templates; a quarter of the applications shared with the
 * region, each with about 200 words of CV text in the regional pool's index.
 */
import type { DB } from '../../server/core/db.js';
import { migrate, openDatabase } from '../../server/core/db.js';
import { hashPassword } from '../../server/core/password.js';
import { ensureScorecard } from '../../server/features/evaluation/service.js';
import { postingScope } from '../../server/features/evaluation/queries.js';
import { ensureRegionTemplates } from '../../server/features/onboarding/service.js';
import { prng } from './prng.js';

export const SHAPE = {
  regions: 13,
  organisations: 1_000,
  postingsPerOrg: 10,
  applications: 200_000,
  bigPostingCandidates: 500,
  /** Candidates on one posting, to see how the board's and the ranking's cost grows. */
  scaleCandidates: [500, 50, 5_000],
  /** CPTS in one region, for the regional dashboard; the other regions share the rest. */
  scaleRegions: [77, 10, 300],
  panelists: 6,
  targetRatings: 1_000_000,
  onboardingPlans: 5_000,
  /** Share of applications shared with the region, and the words of each one's CV. */
  regionPoolShare: 0.25,
  cvWords: 200,
};

export const BENCH_PASSWORD = 'bench-coordo-2026';

export type Dataset = {
  bigPostingId: number;
  bigPostingSlug: string;
  publicPostingSlug: string;
  bureauEmail: string;
  chargeEmail: string;
  regionId: number;
  /** Postings of the first CPTS with SHAPE.scaleCandidates candidates each. */
  scalePostings: { candidates: number; postingId: number }[];
  /** Regions of SHAPE.scaleRegions CPTS, with the login of their chargé·e de mission. */
  scaleRegions: { cpts: number; regionId: number; chargeEmail: string }[];
  counts: Record<string, number>;
};

const REGIONS = [
  'Auvergne-Rhône-Alpes', 'Bourgogne-Franche-Comté', 'Bretagne', 'Centre-Val de Loire', 'Corse', 'Grand Est', 'Hauts-de-France',
  'Île-de-France', 'Normandie', 'Nouvelle-Aquitaine', 'Occitanie', 'Pays de la Loire', "Provence-Alpes-Côte d'Azur",
];
const FIRST = ['Camille', 'Élodie', 'Yann', 'Inès', 'Bruno', 'Chloé', 'Hugo', 'Léa', 'Nicolas', 'Sophie', 'Karim', 'Aïcha', 'Julien', 'Manon', 'Thomas', 'Zoé'];
const LAST = ['Martin', 'Bernard', 'Le Bihan', 'Moreau', 'Dubois', 'Lefèvre', 'Garnier', 'Roux', 'Fournier', 'Girard', 'Bonnet', 'Mercier', 'Nguyen', 'Haddad'];
const TOWNS = ['Nantes', 'Angers', 'Rennes', 'Brest', 'Lyon', 'Lille', 'Rouen', 'Tours', 'Dijon', 'Metz', 'Pau', 'Nîmes', 'Ajaccio', 'Laval', 'Vannes'];

/**
 * Words of coordinators' CVs and messages, most frequent first (drawn with a skewed law, so the
 * first ones are in most texts and the last ones rare), for the regional pool's index.
 */
export const CV_WORDS = (
  'coordination projet santé territoire professionnels parcours équipe réseau animation gestion ' +
  'partenaires mission prévention accès soins patients médecins infirmiers pharmaciens kinésithérapeutes sages-femmes ' +
  'communication réunion budget administratif association bureau conseil assemblée adhérents financement ' +
  'ARS CPAM ACI contrat diagnostic territorial organisation sanitaire hôpital GHT collectivités CLS DAC ' +
  'master santé publique management économie droit sociologie ingénierie formation diplôme université EHESP PACTE ' +
  'expérience chargé chargée mission cheffe chef responsable assistante coordinatrice coordinateur ' +
  'gériatrie psychiatrie pédiatrie addictologie cancérologie diabète obésité handicap précarité vaccination dépistage ' +
  'soins non programmés urgences télémédecine MSSanté plateforme logiciel outils tableur enquête évaluation indicateurs ' +
  'rédaction dossier appel projets subvention FIR amorçage démarche qualité pertinence attractivité installation internes ' +
  'maison santé pluriprofessionnelle centre EHPAD domicile aidants parcours complexes situations sociales ' +
  'autonomie initiative diplomatie neutralité conviction curiosité dynamisme rigueur écoute ' +
  'Loire-Atlantique Maine-et-Loire Mayenne Sarthe Vendée Bretagne Normandie Occitanie rural urbain ' +
  'anglais espagnol permis véhicule bénévolat associatif sport musique théâtre ' +
  'cartographie SIG statistiques épidémiologie recherche publication colloque webinaire newsletter site réseaux sociaux ' +
  'comptabilité paie ressources humaines recrutement intégration tutorat mentorat accompagnement changement ' +
  'hémodialyse insuffisance cardiaque BPCO AVC soins palliatifs périnatalité santé mentale jeunes étudiants ' +
  'ostéopathe orthophoniste podologue diététicienne psychologue ergothérapeute audioprothésiste opticien biologiste radiologue'
).split(' ');

const DESCRIPTION = `## La CPTS

Notre communauté professionnelle territoriale de santé réunit plus de 120 professionnels de
santé libéraux (médecins, infirmiers, pharmaciens, kinésithérapeutes, sages-femmes) autour
d'un projet de santé validé par l'ARS.

## Vos missions

- animer la gouvernance et la vie associative (bureau, assemblée générale) ;
- conduire les missions socles : accès aux soins, parcours, prévention, crises sanitaires ;
- suivre l'accord conventionnel interprofessionnel (ACI) et ses indicateurs ;
- coordonner les groupes de travail et les partenaires (DAC, hôpital, collectivités).

## Profil

Formation de niveau master en santé publique, coordination de projets ou équivalent ;
connaissance du système de santé et de l'exercice coordonné ; autonomie, écoute et sens
de l'organisation. Permis B indispensable.
`;

const iso = (d: Date) => d.toISOString();
const day = (d: Date) => d.toISOString().slice(0, 10);

export async function generate(dbPath: string, seed = 20261123, now = new Date()): Promise<Dataset> {
  const rnd = prng(seed);
  const db: DB = openDatabase(dbPath);
  migrate(db);
  // A throw-away benchmark database: durability during the bulk load buys nothing.
  db.pragma('synchronous = OFF');
  const at = iso(now);
  const daysAgo = (n: number) => iso(new Date(now.getTime() - n * 86_400_000));
  const passwordHash = await hashPassword(BENCH_PASSWORD, 2 ** 14);

  // ---- regions, CPTS, people ----------------------------------------------------------------
  const orgs: { id: number; regionId: number; users: number[]; staff: number[] }[] = [];
  const regionIds: number[] = [];
  db.transaction(() => {
    const insRegion = db.prepare('INSERT INTO regions (name, slug, created_at) VALUES (?, ?, ?)');
    const insOrg = db.prepare(
      `INSERT INTO organisations (region_id, name, slug, department, territory, population, size_class, presentation, email, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insUser = db.prepare('INSERT INTO users (email, name, password_hash, locale, is_admin, created_at, updated_at) VALUES (?, ?, ?, \'fr\', 0, ?, ?)');
    const insMember = db.prepare('INSERT INTO memberships (user_id, organisation_id, region_id, role, title, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    REGIONS.slice(0, SHAPE.regions).forEach((name, i) => {
      const regionId = Number(insRegion.run(name, `region-${i + 1}`, at).lastInsertRowid);
      regionIds.push(regionId);
      const charge = Number(insUser.run(`charge${i + 1}@bench.coordo.test`, `Chargé·e de mission ${i + 1}`, passwordHash, at, at).lastInsertRowid);
      insMember.run(charge, null, regionId, 'charge_de_mission', 'Chargé·e de mission', at);
    });
    // The first regions get exactly SHAPE.scaleRegions CPTS, the others share the rest in turn.
    const regionOf: number[] = SHAPE.scaleRegions.flatMap((n, r) => Array<number>(n).fill(r));
    const others = regionIds.length - SHAPE.scaleRegions.length;
    const fixedCpts = regionOf.length;
    for (let o = fixedCpts; o < SHAPE.organisations; o++) regionOf.push(SHAPE.scaleRegions.length + ((o - fixedCpts) % others));
    for (let o = 1; o <= SHAPE.organisations; o++) {
      const regionId = regionIds[regionOf[o - 1]];
      const population = rnd.int(20_000, 250_000);
      const sizeClass = population < 40_000 ? 1 : population < 80_000 ? 2 : population < 175_000 ? 3 : 4;
      const town = rnd.pick(TOWNS);
      const id = Number(
        insOrg.run(regionId, `CPTS ${town} ${o}`, `cpts-${o}`, `Département ${(o % 95) + 1}`, `${town} et alentours`, population, sizeClass, `CPTS du territoire de ${town}.`, `contact@cpts-${o}.test`, at, at)
          .lastInsertRowid,
      );
      // 6 people who sit on panels (the first one is the president), 5 recently hired staff.
      const users: number[] = [];
      for (let u = 0; u < SHAPE.panelists; u++) {
        const uid = Number(insUser.run(`u${o}-${u}@bench.coordo.test`, `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`, passwordHash, at, at).lastInsertRowid);
        insMember.run(uid, id, null, 'bureau', u === 0 ? 'Président·e' : 'Membre du bureau', at);
        users.push(uid);
      }
      const staff: number[] = [];
      for (let s = 0; s < SHAPE.onboardingPlans / SHAPE.organisations; s++) {
        const uid = Number(insUser.run(`staff${o}-${s}@bench.coordo.test`, `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`, passwordHash, at, at).lastInsertRowid);
        insMember.run(uid, id, null, s === 0 ? 'coordinator' : 'case_manager', '', at);
        staff.push(uid);
      }
      orgs.push({ id, regionId, users, staff });
    }
  })();

  // ---- postings (insert triggers create each one's 8 pipeline stages and its reference, 029) --
  const postings: { id: number; orgIndex: number; kind: 'coordinator' | 'case_manager'; published: boolean }[] = [];
  db.transaction(() => {
    const ins = db.prepare(
      `INSERT INTO postings (organisation_id, slug, kind, template_key, title, location, contract_type, fte_percent, salary_min, salary_max,
         start_date, deadline, summary, description_md, contact_name, contact_email, status, published_at, closed_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'CDI', 100, 32000, 42000, ?, ?, ?, ?, 'Président·e', ?, ?, ?, ?, ?, ?, ?)`,
    );
    orgs.forEach((org, oi) => {
      for (let p = 0; p < SHAPE.postingsPerOrg; p++) {
        const kind = p % 3 === 0 ? 'case_manager' : 'coordinator';
        const status = oi === 0 && p < SHAPE.scaleCandidates.length ? 'published' : rnd.weighted<'published' | 'closed' | 'filled' | 'draft'>([['published', 35], ['closed', 30], ['filled', 30], ['draft', 5]]);
        const created = daysAgo(rnd.int(5, 700));
        const title = kind === 'coordinator' ? `Coordinateur·rice de CPTS (${oi + 1}-${p + 1})` : `Gestionnaire de cas (${oi + 1}-${p + 1})`;
        const deadline = status === 'published' ? day(new Date(now.getTime() + rnd.int(10, 60) * 86_400_000)) : day(new Date(Date.parse(created) + 30 * 86_400_000));
        const id = Number(
          ins.run(org.id, `poste-${oi + 1}-${p + 1}`, kind, kind, title, rnd.pick(TOWNS), deadline, deadline, 'Rejoignez une équipe pluriprofessionnelle engagée.', DESCRIPTION,
            `recrutement@cpts-${oi + 1}.test`, status, status === 'draft' ? null : created, status === 'closed' || status === 'filled' ? daysAgo(rnd.int(1, 4)) : null, org.users[0], created, created)
            .lastInsertRowid,
        );
        postings.push({ id, orgIndex: oi, kind, published: status === 'published' });
      }
    });
  })();
  const big = postings[0];
  const scale = SHAPE.scaleCandidates.map((candidates, i) => ({ candidates, posting: postings[i] }));
  const isScale = new Set(scale.map((x) => x.posting));

  // ---- candidates and applications (the insert trigger creates each pipeline card) ----------
  const others = postings.filter((p) => !isScale.has(p));
  const perPosting = new Map<number, number>(scale.map((x) => [x.posting.id, x.candidates]));
  const fixed = SHAPE.scaleCandidates.reduce((a, b) => a + b, 0);
  for (let i = 0; i < SHAPE.applications - fixed; i++) {
    const p = others[Math.floor(rnd.next() * others.length)];
    perPosting.set(p.id, (perPosting.get(p.id) ?? 0) + 1);
  }
  const evaluable: { applicationId: number; posting: (typeof postings)[number] }[] = [];
  db.transaction(() => {
    const insCandidate = db.prepare('INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insApp = db.prepare(
      `INSERT INTO applications (posting_id, organisation_id, candidate_id, status, message, source, talent_pool_consent, notified_at, last_contact_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let n = 0;
    for (const p of postings) {
      const count = perPosting.get(p.id) ?? 0;
      const org = orgs[p.orgIndex];
      for (let i = 0; i < count; i++) {
        n++;
        const first = rnd.pick(FIRST);
        const last = rnd.pick(LAST);
        const created = daysAgo(rnd.int(1, 300));
        const candidateId = Number(insCandidate.run(org.id, `candidat${n}@bench.coordo.test`, first, last, '06 12 34 56 78', created, created).lastInsertRowid);
        const status =
          isScale.has(p)
            ? rnd.weighted<string>([['in_review', 15], ['interview', 70], ['offer', 5], ['rejected', 10]])
            : rnd.weighted<string>([['received', 35], ['in_review', 25], ['interview', 15], ['offer', 3], ['hired', 2], ['rejected', 17], ['withdrawn', 3]]);
        const id = Number(
          insApp.run(p.id, org.id, candidateId, status, 'Je souhaite rejoindre votre CPTS.', rnd.pick(['board', 'network', 'other']), rnd.int(0, 1), created, created, created, created)
            .lastInsertRowid,
        );
        if (isScale.has(p) || ['interview', 'offer', 'hired'].includes(status)) evaluable.push({ applicationId: id, posting: p });
      }
    }
  })();

  // ---- the regional pool: consents and indexed text (issue 17) -------------------------------
  // About a quarter of the applications are shared with the region; each gets the text the
  // index would hold for it (message and a CV of about 200 words, identity left out), written
  // straight into the index as indexPoolApplication does. document_texts is not filled: the
  // search never reads it.
  // Its own random stream, so the rest of the dataset stays what it was for a given seed.
  const poolRnd = prng(seed + 17);
  let pooled = 0;
  db.transaction(() => {
    const consent = db.prepare('UPDATE applications SET region_pool_consent = 1, region_pool_at = created_at WHERE id = ?');
    const index = db.prepare('INSERT INTO region_pool_fts (rowid, body, region) VALUES (?, ?, ?)');
    const rows = db.prepare('SELECT a.id, o.region_id FROM applications a JOIN organisations o ON o.id = a.organisation_id ORDER BY a.id').all() as { id: number; region_id: number }[];
    for (const r of rows) {
      if (poolRnd.next() >= SHAPE.regionPoolShare) continue;
      const words: string[] = ['Je', 'souhaite', 'rejoindre', 'votre', 'CPTS'];
      for (let k = 0; k < SHAPE.cvWords; k++) words.push(CV_WORDS[Math.floor(poolRnd.next() ** 2 * CV_WORDS.length)]!);
      consent.run(r.id);
      index.run(r.id, words.join(' '), `reg${r.region_id}x`);
      pooled++;
    }
  })();
  db.exec("INSERT INTO region_pool_fts (region_pool_fts) VALUES ('optimize')");

  // ---- scorecards, panels, evaluations and ratings -------------------------------------------
  // Every candidate of the three scale postings is evaluated; then others until about 1,000,000 ratings.
  let ratings = 0;
  db.transaction(() => {
    const criteria = new Map<number, number[]>();
    const criteriaOf = (postingId: number) => {
      let list = criteria.get(postingId);
      if (!list) {
        const scope = postingScope(db, postingId);
        if (!scope) throw new Error(`no posting ${postingId}`);
        const card = ensureScorecard(db, scope, now);
        list = db.prepare('SELECT id FROM scorecard_criteria WHERE scorecard_id = ? ORDER BY position').pluck().all(card.id) as number[];
        db.prepare('UPDATE scorecards SET locked_at = ? WHERE id = ?').run(at, card.id);
        const org = orgs[postings.find((p) => p.id === postingId)!.orgIndex];
        db.prepare('INSERT INTO panels (posting_id, organisation_id, start_stage_id, updated_at) VALUES (?, ?, NULL, ?)').run(postingId, org.id, at);
        org.users.forEach((uid, i) =>
          db.prepare('INSERT INTO panel_members (organisation_id, posting_id, user_id, kind, is_chair, added_by, created_at) VALUES (?, ?, ?, \'member\', ?, ?, ?)').run(org.id, postingId, uid, i === 0 ? 1 : 0, org.users[0], at),
        );
        criteria.set(postingId, list);
      }
      return list;
    };
    const insEval = db.prepare(
      `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, version, status, recommendation, summary, submitted_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 1, 'submitted', ?, ?, ?, ?, ?)`,
    );
    const insRating = db.prepare('INSERT INTO evaluation_ratings (evaluation_id, criterion_id, level, comment) VALUES (?, ?, ?, ?)');
    const scaleFirst = [...evaluable.filter((e) => isScale.has(e.posting)), ...evaluable.filter((e) => !isScale.has(e.posting))];
    for (const e of scaleFirst) {
      if (!isScale.has(e.posting) && ratings >= SHAPE.targetRatings) break;
      const list = criteriaOf(e.posting.id);
      const org = orgs[e.posting.orgIndex];
      for (const uid of org.users) {
        const evalId = Number(
          insEval.run(org.id, e.posting.id, e.applicationId, uid, `Panéliste ${uid}`, rnd.pick(['strong_no', 'no', 'yes', 'strong_yes']), 'Entretien structuré, synthèse du panéliste.', at, at, at).lastInsertRowid,
        );
        for (const c of list) insRating.run(evalId, c, rnd.int(1, 4), '');
        ratings += list.length;
      }
    }
  })();

  // ---- onboarding plans, with steps copied from the region templates ------------------------
  db.transaction(() => {
    for (const r of regionIds) ensureRegionTemplates(db, r, now);
    const templateOf = db.prepare('SELECT id, name, phases FROM onboarding_templates WHERE region_id = ? AND kind = ? AND organisation_id IS NULL ORDER BY id LIMIT 1');
    const insPlan = db.prepare(
      'INSERT INTO onboarding_plans (organisation_id, user_id, kind, template_id, template_name, phases, start_date, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const copySteps = db.prepare(
      `INSERT INTO onboarding_plan_steps (plan_id, organisation_id, position, step_key, phase, title, description, owner_role, due_offset_days, due_date, resources, recurring_every_days, recurring_label, tag, status)
       SELECT @plan, @org, position, step_key, phase, title, description, owner_role, due_offset_days, date(@start, due_offset_days || ' days'), resources, recurring_every_days, recurring_label, tag,
              CASE WHEN date(@start, due_offset_days || ' days') < @today THEN 'done' ELSE 'todo' END
       FROM onboarding_template_steps WHERE template_id = @template`,
    );
    for (const org of orgs) {
      org.staff.forEach((uid, i) => {
        const kind = i === 0 ? 'coordinator' : 'case_manager';
        const t = templateOf.get(org.regionId, kind) as { id: number; name: string; phases: string };
        const start = day(new Date(now.getTime() - rnd.int(0, 200) * 86_400_000));
        const plan = Number(insPlan.run(org.id, uid, kind, t.id, t.name, t.phases, start, org.users[0], at).lastInsertRowid);
        copySteps.run({ plan, org: org.id, start, today: day(now), template: t.id });
      });
    }
  })();

  db.pragma('synchronous = NORMAL');
  db.exec('ANALYZE');
  const count = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  const counts = {
    ...Object.fromEntries(
      ['regions', 'organisations', 'users', 'postings', 'pipeline_stages', 'candidates', 'applications', 'pipeline_cards', 'evaluations', 'evaluation_ratings', 'onboarding_plans', 'onboarding_plan_steps'].map((t) => [t, count(t)]),
    ),
    region_pool_fts: pooled,
  };
  const bigSlug = (db.prepare('SELECT slug FROM postings WHERE id = ?').get(big.id) as { slug: string }).slug;
  const publicSlug = (db.prepare(`SELECT slug FROM postings WHERE status = 'published' AND organisation_id <> ? ORDER BY id LIMIT 1`).get(orgs[0].id) as { slug: string }).slug;
  db.close();
  return {
    bigPostingId: big.id,
    bigPostingSlug: bigSlug,
    publicPostingSlug: publicSlug,
    bureauEmail: 'u1-0@bench.coordo.test',
    chargeEmail: 'charge1@bench.coordo.test',
    regionId: regionIds[0],
    scalePostings: scale.map((x) => ({ candidates: x.candidates, postingId: x.posting.id })),
    scaleRegions: SHAPE.scaleRegions.map((cpts, i) => ({ cpts, regionId: regionIds[i], chargeEmail: `charge${i + 1}@bench.coordo.test` })),
    counts,
  };
}
