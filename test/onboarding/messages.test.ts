import { expect } from 'chai';
import { messages as exchange } from '../../server/features/exchange/messages.js';
import { messages as network } from '../../server/features/network/messages.js';
import { messages as onboarding } from '../../server/features/onboarding/messages.js';

describe('onboarding, network and exchange: every message in French and English', () => {
  for (const [name, m] of Object.entries({ onboarding, network, exchange })) {
    it(`when the ${name} catalogue is read then every French key has its English text and no key is English-only`, () => {
      expect(Object.keys(m.fr).filter((k) => !(k in m.en)), 'missing in English').to.deep.equal([]);
      expect(Object.keys(m.en).filter((k) => !(k in m.fr)), 'missing in French').to.deep.equal([]);
    });
  }
});
