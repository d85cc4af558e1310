/**
 * The one answer to "may this actor do this to that?". Tenancy lives here: a role counts
 * only in the CPTS it was given for, and a chargé de mission's regional role reaches the CPTS
 * of that region. Routes call `authorize` (which throws NotFound, so another CPTS's resource
 * is never revealed), queries filter by the organisation ids it allows.
 */
import { NotFound } from './errors.js';

export type OrgRole = 'bureau' | 'coordinator' | 'case_manager';
export type Role = OrgRole | 'charge_de_mission' | 'admin';

export type Membership = {
  organisationId: number | null;
  regionId: number | null;
  role: OrgRole | 'charge_de_mission';
  title?: string;
};

export type Actor = {
  id: number;
  email: string;
  name: string;
  locale: 'fr' | 'en';
  isAdmin: boolean;
  memberships: Membership[];
};

export type OrgRef = { id: number; region_id: number };

const RULES = {
  'region.view': ['admin', 'charge_de_mission'],
  'organisation.view': ['admin', 'charge_de_mission', 'bureau', 'coordinator', 'case_manager'],
  'organisation.edit': ['admin', 'charge_de_mission', 'bureau'],
  'organisation.invite': ['admin', 'charge_de_mission', 'bureau'],
  'organisation.members': ['admin', 'charge_de_mission', 'bureau', 'coordinator', 'case_manager'],
  // Recruitment data: only people who take part in the hiring (GDPR), so not the instance admin.
  'posting.manage': ['charge_de_mission', 'bureau'],
  'application.view': ['charge_de_mission', 'bureau'],
  'application.manage': ['charge_de_mission', 'bureau'],
  'onboarding.manage': ['charge_de_mission', 'bureau'],
  // Candidate pipeline: the region's chargés de mission read and annotate; moves (until panels
  // arrive with the evaluation feature), stages, anonymisation and mail templates: the bureau.
  'pipeline.view': ['charge_de_mission', 'bureau'],
  'pipeline.note': ['charge_de_mission', 'bureau'],
  'pipeline.move': ['bureau'],
  'pipeline.configure': ['bureau'],
  // Evaluation: the region's chargés de mission and the bureau read results and prepare the
  // panel (scorecard, members, interviews); only the bureau decides. Panelists reach their
  // postings through the panel check in the evaluation service, not through a role here.
  'evaluation.view': ['charge_de_mission', 'bureau'],
  'evaluation.configure': ['charge_de_mission', 'bureau'],
  'evaluation.decide': ['bureau'],
  'dashboard.view': ['charge_de_mission', 'bureau'],
  'retention.preview': ['charge_de_mission', 'bureau'],
  'application.gdpr': ['bureau'],
  // A CPTS's committed costs (salaries) and its funding check: its bureau only. The region sees
  // whether a hire is affordable, never the figures.
  'funding.manage': ['bureau'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof RULES;
export const ACTIONS = Object.keys(RULES) as Action[];

/** Roles an actor holds toward one CPTS. */
export function rolesIn(actor: Actor, org: OrgRef): Set<Role> {
  const roles = new Set<Role>();
  if (actor.isAdmin) roles.add('admin');
  for (const m of actor.memberships) {
    if (m.organisationId === org.id) roles.add(m.role);
    if (m.role === 'charge_de_mission' && m.regionId === org.region_id) roles.add('charge_de_mission');
  }
  return roles;
}

export function can(actor: Actor | undefined, action: Action, org: OrgRef): boolean {
  if (!actor) return false;
  const allowed: readonly Role[] = RULES[action];
  for (const role of rolesIn(actor, org)) if (allowed.includes(role)) return true;
  return false;
}

/** Throws NotFound rather than Forbidden: another CPTS's resources must not be revealed. */
export function authorize(actor: Actor | undefined, action: Action, org: OrgRef | undefined): asserts org is OrgRef {
  if (!org || !can(actor, action, org)) throw new NotFound();
}

export function canViewRegion(actor: Actor | undefined, regionId: number): boolean {
  if (!actor) return false;
  return actor.isAdmin || actor.memberships.some((m) => m.role === 'charge_de_mission' && m.regionId === regionId);
}

export function regionIdsOf(actor: Actor): number[] {
  return actor.memberships.filter((m) => m.role === 'charge_de_mission').map((m) => m.regionId as number);
}

export function organisationIdsOf(actor: Actor, roles?: OrgRole[]): number[] {
  return actor.memberships
    .filter((m) => m.organisationId !== null && (!roles || roles.includes(m.role as OrgRole)))
    .map((m) => m.organisationId as number);
}

/** Which roles an actor may grant in a CPTS: nobody hands out more than they may manage. */
export function grantableRoles(actor: Actor, org: OrgRef): OrgRole[] {
  return can(actor, 'organisation.invite', org) ? ['bureau', 'coordinator', 'case_manager'] : [];
}
