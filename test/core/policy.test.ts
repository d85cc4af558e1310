import { expect } from 'chai';
import { ACTIONS, can, type Action, type Actor, type Membership } from '../../server/core/policy.js';

const OWN = { id: 1, region_id: 10 };
const SAME_REGION = { id: 2, region_id: 10 };
const OTHER_REGION = { id: 3, region_id: 20 };

function actor(memberships: Membership[], isAdmin = false): Actor {
  return { id: 99, email: 'a@example.test', name: 'A', locale: 'fr', isAdmin, memberships };
}

const ACTORS: Record<string, Actor> = {
  admin: actor([], true),
  charge_de_mission: actor([{ organisationId: null, regionId: 10, role: 'charge_de_mission' }]),
  bureau: actor([{ organisationId: 1, regionId: null, role: 'bureau' }]),
  coordinator: actor([{ organisationId: 1, regionId: null, role: 'coordinator' }]),
  case_manager: actor([{ organisationId: 1, regionId: null, role: 'case_manager' }]),
  no_role: actor([]),
};

// Expected answers on the actor's own CPTS (for the chargé de mission: a CPTS of their region).
const ALLOWED_ON_OWN: Record<Action, string[]> = {
  'region.view': ['admin', 'charge_de_mission'],
  'organisation.view': ['admin', 'charge_de_mission', 'bureau', 'coordinator', 'case_manager'],
  'organisation.edit': ['admin', 'charge_de_mission', 'bureau'],
  'organisation.invite': ['admin', 'charge_de_mission', 'bureau'],
  'organisation.members': ['admin', 'charge_de_mission', 'bureau', 'coordinator', 'case_manager'],
  'posting.manage': ['charge_de_mission', 'bureau'],
  'application.view': ['charge_de_mission', 'bureau'],
  'application.manage': ['charge_de_mission', 'bureau'],
  'onboarding.manage': ['charge_de_mission', 'bureau'],
  'pipeline.view': ['charge_de_mission', 'bureau'],
  'pipeline.note': ['charge_de_mission', 'bureau'],
  'pipeline.move': ['bureau'],
  'pipeline.configure': ['bureau'],
  'evaluation.view': ['charge_de_mission', 'bureau'],
  'evaluation.configure': ['charge_de_mission', 'bureau'],
  'evaluation.decide': ['bureau'],
  'dashboard.view': ['charge_de_mission', 'bureau'],
  'retention.preview': ['charge_de_mission', 'bureau'],
  'application.gdpr': ['bureau'],
  'funding.manage': ['bureau'],
};

describe('policy matrix: each role × each action × own / other organisation', () => {
  for (const action of ACTIONS) {
    const expected = ALLOWED_ON_OWN[action as keyof typeof ALLOWED_ON_OWN];
    for (const [role, a] of Object.entries(ACTORS)) {
      const allowed = expected?.includes(role) ?? false;
      it(`${role} ${allowed ? 'may' : 'may not'} ${action} on their own CPTS`, () => {
        expect(can(a, action, OWN)).to.equal(allowed);
      });
      it(`${role} may ${role === 'admin' && allowed ? '' : 'not '}${action} on a CPTS of another region`, () => {
        expect(can(a, action, OTHER_REGION)).to.equal(role === 'admin' && allowed);
      });
    }
    it(`a bureau member of one CPTS may not ${action} on another CPTS of the same region`, () => {
      expect(can(ACTORS.bureau, action, SAME_REGION)).to.equal(false);
    });
    it(`the chargé de mission reaches every CPTS of their region for ${action} as for one`, () => {
      expect(can(ACTORS.charge_de_mission, action, SAME_REGION)).to.equal(can(ACTORS.charge_de_mission, action, OWN));
    });
  }

  it('an unauthenticated visitor may do nothing', () => {
    for (const action of ACTIONS) expect(can(undefined, action, OWN)).to.equal(false);
  });

  it('every action of the policy is covered by this matrix', () => {
    expect(ACTIONS.filter((a) => !(a in ALLOWED_ON_OWN))).to.deep.equal([]);
  });
});
