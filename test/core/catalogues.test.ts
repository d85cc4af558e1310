import { expect } from 'chai';
import { CATALOGUES } from '../../server/app.js';
import { compileMessage, LOCALES, type Catalogue, type Locale } from '../../server/core/i18n.js';
import { frenchTypographyFaults } from '../helpers/typography.js';

/**
 * Every catalogue the app loads (the list createApp uses, so a new feature is checked without
 * being named here): the same keys in French and English, the same ICU arguments per key, every
 * message compiling in its own locale, and French typography in every French message.
 */
describe('core: the message catalogues of every feature', () => {
  const entries = (locale: Locale): [string, string][] => CATALOGUES.flatMap((c) => Object.entries(c[locale] as Catalogue));

  it('when the catalogues are listed then each has French and English and no key is defined twice', () => {
    expect(CATALOGUES.length).to.be.greaterThan(15);
    for (const locale of LOCALES) {
      const seen = new Map<string, number>();
      CATALOGUES.forEach((c, i) => {
        for (const key of Object.keys(c[locale] as Catalogue)) {
          expect(seen.has(key), `${locale} key ${key} in catalogues ${seen.get(key)} and ${i}`).to.equal(false);
          seen.set(key, i);
        }
      });
    }
  });

  it('when a key exists in one locale then it exists in the other', () => {
    for (const c of CATALOGUES) {
      const fr = Object.keys(c.fr);
      const en = Object.keys(c.en);
      expect(fr.filter((k) => !Object.hasOwn(c.en, k)), 'keys missing in English').to.deep.equal([]);
      expect(en.filter((k) => !Object.hasOwn(c.fr, k)), 'keys missing in French').to.deep.equal([]);
    }
  });

  it('when a message is compiled in its locale then it compiles, and its arguments are the same in both locales', () => {
    const failures: string[] = [];
    for (const c of CATALOGUES) {
      for (const [key, fr] of Object.entries(c.fr)) {
        const en = (c.en as Catalogue)[key];
        let frArgs: string[] = [];
        let enArgs: string[] = [];
        try {
          frArgs = compileMessage(fr, 'fr').args;
        } catch (e) {
          failures.push(`fr ${key}: ${(e as Error).message}`);
        }
        if (en === undefined) continue;
        try {
          enArgs = compileMessage(en, 'en').args;
        } catch (e) {
          failures.push(`en ${key}: ${(e as Error).message}`);
          continue;
        }
        if (frArgs.join() !== enArgs.join()) failures.push(`${key}: fr {${frArgs.join(', ')}} en {${enArgs.join(', ')}}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('when a French message is read then a no-break space precedes : ; ! ? and sits inside « », before € and %', () => {
    const faults = entries('fr').flatMap(([key, text]) => frenchTypographyFaults(text).map((f) => `${key}: ${f}`));
    expect(faults).to.deep.equal([]);
  });

  it('when the typography check reads faulty French then it names each fault, and leaves URLs, times and English alone', () => {
    expect(frenchTypographyFaults('Postuler : {posting}')).to.have.length(1);
    expect(frenchTypographyFaults('Une question? Écrivez-nous!')).to.have.length(2);
    expect(frenchTypographyFaults('Le poste « {posting} » ; fin')).to.have.length(3);
    expect(frenchTypographyFaults('{n} € et 50 %')).to.have.length(2);
    expect(frenchTypographyFaults('Postuler\u00a0: {posting} ; ok\u202f? « x\u00a0»')).to.have.length(2);
    expect(frenchTypographyFaults('Voir https://exemple.fr/?a=1 à 14:30, {n}\u00a0€, 5\u00a0%.')).to.deep.equal([]);
    expect(frenchTypographyFaults('Le poste «\u00a0{posting}\u00a0»\u00a0: fin\u00a0!')).to.deep.equal([]);
  });

  it('when a literal {{placeholder}} is shown to users then it is quoted and prints as written', () => {
    const hints = entries('fr').concat(entries('en')).filter(([, text]) => text.includes("'{{'"));
    expect(hints.length).to.be.greaterThan(0);
    for (const [key, text] of hints) {
      const locale: Locale = entries('fr').some(([k, t]) => k === key && t === text) ? 'fr' : 'en';
      expect(compileMessage(text, locale).plain, key).to.contain('{{conditions}}');
    }
  });
});
