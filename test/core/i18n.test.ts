import { expect } from 'chai';
import { CATALOGUES } from '../../server/app.js';
import { argumentNames, compileMessage, createI18n, formatCompiled, formatDate, formatNumber, LOCALES } from '../../server/core/i18n.js';

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

  it('when a message counts then ICU plural rules of each locale apply (French one covers 0 and 1)', () => {
    const counted = createI18n([
      {
        fr: { apps: '{n, plural, one {# candidature} other {# candidatures}} pour {title}' },
        en: { apps: '{n, plural, one {# application} other {# applications}} for {title}' },
      },
    ]);
    const fr = counted.translator('fr');
    const en = counted.translator('en');
    expect(fr('apps', { n: 0, title: 'Coordination' })).to.equal('0 candidature pour Coordination');
    expect(fr('apps', { n: 1, title: 'Coordination' })).to.equal('1 candidature pour Coordination');
    expect(fr('apps', { n: 2, title: 'Coordination' })).to.equal('2 candidatures pour Coordination');
    expect(fr('apps', { n: 1500, title: 'x' })).to.equal('1\u202f500 candidatures pour x');
    expect(en('apps', { n: 0, title: 'x' })).to.equal('0 applications for x');
    expect(en('apps', { n: 1, title: 'x' })).to.equal('1 application for x');
    expect(fr('apps', { title: 'x' })).to.contain('candidatures pour x');
  });

  it('when a member has chosen a form of address then select picks it, and other covers the neutral wording', () => {
    const i18n2 = createI18n([{ fr: { hello: '{form, select, madame {Chère Madame} monsieur {Cher Monsieur} other {Bonjour}} {name}' }, en: { hello: '{form, select, madame {Dear Ms} monsieur {Dear Mr} other {Hello}} {name}' } }]);
    expect(i18n2.translator('fr')('hello', { form: 'madame', name: 'Roux' })).to.equal('Chère Madame Roux');
    expect(i18n2.translator('fr')('hello', { form: '', name: 'Camille Roux' })).to.equal('Bonjour Camille Roux');
    expect(i18n2.translator('en')('hello', { form: 'monsieur', name: 'Roux' })).to.equal('Dear Mr Roux');
  });

  it('when a message quotes braces or holds apostrophes and tags then they are printed as text', () => {
    const c = compileMessage("'{{'conditions'}}' l'offre, l’équipe <b>{x}</b> a'b", 'fr');
    expect(c.args).to.deep.equal(['x']);
    expect(String(c.format.format({ x: 'ok' }))).to.equal("{{conditions}} l'offre, l’équipe <b>ok</b> a'b");
    expect(compileMessage("'{{'conditions'}}'", 'fr').plain).to.equal('{{conditions}}');
    expect(() => compileMessage('{{conditions}}', 'fr')).to.throw();
    expect(() => compileMessage('{n, plural, one {x}}', 'fr')).to.throw();
  });

  it('when a message nests arguments in plural and select branches then every name is found', () => {
    expect(compileMessage('{n, plural, one {{who} seul} other {{who} et # autres}} {when, select, soon {bientôt {day}} other {}}', 'fr').args).to.deep.equal(['day', 'n', 'when', 'who']);
  });

  it('when dates and numbers are formatted then French and English follow their conventions in Paris time', () => {
    expect(formatDate('2026-03-05T23:30:00.000Z', 'fr')).to.equal('6 mars 2026');
    expect(formatDate('2026-03-05T23:30:00.000Z', 'en')).to.equal('6 March 2026');
    expect(formatDate('2026-03-05T10:00:00.000Z', 'fr', true)).to.equal('5 mars 2026 à 11:00');
    expect(formatDate('not a date', 'fr')).to.equal('');
    expect(formatDate('2026-12-01T10:00:00.000Z', 'fr')).to.equal('1er décembre 2026');
    expect(formatDate('2026-11-30T23:30:00.000Z', 'fr'), 'the first day in Paris time').to.equal('1er décembre 2026');
    expect(formatDate('2026-12-01T13:05:00.000Z', 'fr', true)).to.equal('1er décembre 2026 à 14:05');
    expect(formatDate('2026-12-11T10:00:00.000Z', 'fr')).to.equal('11 décembre 2026');
    expect(formatDate('2026-12-21T10:00:00.000Z', 'fr')).to.equal('21 décembre 2026');
    expect(formatDate('2026-12-01T10:00:00.000Z', 'en')).to.equal('1 December 2026');
    expect(formatDate('2026-12-01T13:05:00.000Z', 'en', true)).to.equal('1 December 2026 at 14:05');
    expect(formatNumber(1234.5, 'fr')).to.equal('1\u202f234,5');
    expect(formatNumber(1234.5, 'en')).to.equal('1,234.5');
  });
  it('every catalogue message formats the same through the simple path as through IntlMessageFormat, with text, numbers and missing arguments', () => {
    let simple = 0;
    let checked = 0;
    for (const locale of LOCALES) {
      for (const part of CATALOGUES) {
        for (const [key, message] of Object.entries(part[locale])) {
          const c = compileMessage(message, locale);
          if (!c.simple || c.plain !== null) continue;
          simple++;
          const names = argumentNames(c.format.getAst());
          for (const round of [0, 1, 2]) {
            // Text with ICU-looking characters, numbers (0 included), and one argument left out.
            const params: Record<string, string | number> = {};
            names.forEach((name, i) => {
              if (round === 2 && i === 0) return;
              params[name] = round === 1 ? i * 7 : `{x} '#' ${name} é’\u00a0`;
            });
            const values = Object.fromEntries(names.map((n) => [n, Object.hasOwn(params, n) ? params[n] : `{${n}}`]));
            expect(formatCompiled(c, params), `${locale} ${key}`).to.equal(String(c.format.format(values)));
            checked++;
          }
        }
      }
    }
    expect(simple).to.be.greaterThan(300);
    expect(checked).to.equal(simple * 3);
  });

  it('a message with a plural or a select has no simple path and still formats through IntlMessageFormat', () => {
    const c = compileMessage('{n, plural, one {# candidat} other {# candidats}} pour {who}', 'fr');
    expect(c.simple).to.equal(null);
    expect(formatCompiled(c, { n: 1, who: 'Léa' })).to.equal('1 candidat pour Léa');
    expect(formatCompiled(c, { n: 3, who: 'Léa' })).to.equal('3 candidats pour Léa');
  });
});
