import { expect } from 'chai';
import { createI18n, formatDate, formatNumber } from '../../server/core/i18n.js';

describe('core: translations and formats', () => {
  const i18n = createI18n([{ fr: { greet: 'Bonjour {name}, {n} message(s) {missing}', plain: 'Texte' }, en: { greet: 'Hello {name}, {n} message(s) {missing}' } }]);

  it('when a message has parameters then each is filled, unknown ones stay visible, and inherited properties are not parameters', () => {
    const fr = i18n.translator('fr');
    expect(fr('greet', { name: 'Léa', n: 3 })).to.equal('Bonjour Léa, 3 message(s) {missing}');
    expect(fr('greet', { name: 'Léa', n: 3 })).to.equal('Bonjour Léa, 3 message(s) {missing}');
    expect(fr('greet', { name: '{n}', n: 1 })).to.equal('Bonjour {n}, 1 message(s) {missing}');
    expect(fr('greet', { name: 'x', n: 0, toString: 'y' } as never)).to.contain('Bonjour x, 0');
    expect(fr('greet', {} as never)).to.equal('Bonjour {name}, {n} message(s) {missing}');
    expect(i18n.translator('en')('greet', { name: 'Ann', n: 2 })).to.equal('Hello Ann, 2 message(s) {missing}');
    expect(i18n.translator('en')('plain')).to.equal('Texte');
    expect(fr('not a key {x}', { x: 'ok' })).to.equal('not a key ok');
  });

  it('when dates and numbers are formatted then French and English follow their conventions in Paris time', () => {
    expect(formatDate('2026-03-05T23:30:00.000Z', 'fr')).to.equal('6 mars 2026');
    expect(formatDate('2026-03-05T23:30:00.000Z', 'en')).to.equal('6 March 2026');
    expect(formatDate('2026-03-05T10:00:00.000Z', 'fr', true)).to.equal('5 mars 2026 à 11:00');
    expect(formatDate('not a date', 'fr')).to.equal('');
    expect(formatNumber(1234.5, 'fr')).to.equal('1\u202f234,5');
    expect(formatNumber(1234.5, 'en')).to.equal('1,234.5');
  });
});
