/**
 * The ranking's shared order (order.ts) against the reference: for random panels, scores,
 * must-have failures, ties and viewers of every class, the rows of every page are those that
 * `rankCandidates` gives when it ranks, per request, the candidates the viewer may see (then
 * the others in board order), with the same ranks and the same visibility.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { resultsClass, type PostingAccess } from '../../server/features/evaluation/access.js';
import { rankCandidates, type CandidateAggregate } from '../../server/features/evaluation/aggregate.js';
import { buildOrder, classView, slice } from '../../server/features/evaluation/order.js';
import type { PanelMemberRow } from '../../server/features/evaluation/queries.js';

const aggregate = (score: number | null, failed: boolean): CandidateAggregate => ({
  evaluations: 1,
  weightedScore: score,
  criteria: [],
  mustHaveFailures: failed ? [7] : [],
  disagreement: false,
  recommendations: { strong_no: 0, no: 0, yes: 0, strong_yes: 0 },
});

const member = (userId: number, chair = false) => ({ user_id: userId, is_chair: chair ? 1 : 0 }) as PanelMemberRow;

describe('ranking order shared by a class of viewers', () => {
  it('when pages are cut from the shared order then each equals the per-request ranking of what the viewer may see', () => {
    const candidate = fc.record({
      // few distinct scores, so that ties are common
      score: fc.option(fc.constantFrom(1, 1.5, 2, 2.5, 3, 3.25, 4), { nil: null }),
      failed: fc.boolean(),
      submitters: fc.subarray([1, 2, 3, 4, 5]),
    });
    const viewer = fc.record({ kind: fc.constantFrom('panelist', 'bureau', 'outsider'), userId: fc.constantFrom(1, 2, 3, 4, 5, 99), panel: fc.subarray([1, 2, 3, 4, 5]), pageSize: fc.integer({ min: 1, max: 7 }) });
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 40 }), viewer, (specs, v) => {
        const applications = specs.map((c, i) => ({ application_id: 100 + i, aggregate: aggregate(c.score, c.failed), submitters: new Set(c.submitters), submittedCount: c.submitters.length }));
        const members = v.panel.map((id) => member(id));
        const access = {
          member: v.kind === 'panelist' ? member(v.userId) : undefined,
          orgView: v.kind !== 'outsider',
          panelMembers: members,
        } as unknown as PostingAccess;
        const cls = resultsClass(access, v.userId, members);

        // The reference: the rule on every candidate, then rankCandidates over the visible ones.
        const visible = applications.filter((a) => cls.sees((id) => a.submitters.has(id)));
        const hidden = applications.filter((a) => !cls.sees((id) => a.submitters.has(id)));
        const expected = [...rankCandidates(visible).map((r) => ({ id: r.application_id, visible: true, rank: r.rank })), ...hidden.map((a) => ({ id: a.application_id, visible: false, rank: null }))];

        const shared = buildOrder(applications);
        const view = classView(shared, cls.key, cls.sees);
        expect(view.visible.length).to.equal(visible.length);
        expect(view.hidden.length).to.equal(hidden.length);
        const got: typeof expected = [];
        for (let from = 0; from < applications.length; from += v.pageSize) {
          got.push(...slice(shared, view, from, from + v.pageSize).map((x) => ({ id: x.app.application_id, visible: x.visible, rank: x.rank })));
        }
        expect(got).to.deep.equal(expected);
        // The class's view is shared: the same key gives the same view.
        expect(classView(shared, cls.key, () => false)).to.equal(view);
        for (const [i, a] of applications.entries()) expect(view.sees[i] === 1).to.equal(visible.includes(a));
      }),
      { numRuns: 500 },
    );
  });

  it('when two viewers are of different classes then their keys differ, and panelists of one posting do not share a view', () => {
    const members = [member(1, true), member(2)];
    const base = { orgView: true, panelMembers: members } as unknown as PostingAccess;
    const keys = [
      resultsClass({ ...base, member: members[0] }, 1, members).key,
      resultsClass({ ...base, member: members[1] }, 2, members).key,
      resultsClass({ ...base, member: undefined }, 50, members).key,
      resultsClass({ ...base, member: undefined }, 51, members).key,
      resultsClass({ ...base, member: undefined, orgView: false }, 52, members).key,
      resultsClass({ ...base, member: undefined }, 50, [members[1], members[0]]).key,
      resultsClass({ ...base, member: undefined }, 50, [members[0]]).key,
    ];
    expect(keys[0]).to.not.equal(keys[1]);
    expect(keys[2]).to.equal(keys[3]);
    expect(keys[2]).to.equal(keys[5]);
    expect(keys[2]).to.not.equal(keys[6]);
    expect(keys[4]).to.equal('none');
  });
});
