import { discriminationTerms, gendered } from './reference.js';

export type DiscriminationWarning = { field: string; ground: string; match: string; explanation: string };

/**
 * Finds wording that targets a protected ground (Code du travail L1132-1). It warns and never
 * blocks: the bureau decides, the word list only points at likely problems.
 */
export function checkDiscrimination(fields: Record<string, string | null | undefined>): DiscriminationWarning[] {
  const warnings: DiscriminationWarning[] = [];
  const seen = new Set<string>();
  for (const [field, value] of Object.entries(fields)) {
    if (!value) continue;
    for (const term of discriminationTerms()) {
      const m = term.regex.exec(value);
      if (!m) continue;
      const key = `${term.ground}|${m[0].toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      warnings.push({ field, ground: term.ground, match: m[0].trim(), explanation: term.explanation });
    }
  }
  const title = fields.title ? titleForOneSex(fields.title) : undefined;
  if (title) warnings.push(title);
  return warnings;
}

const NEUTRAL_MARK = /(?<![\p{L}])(?:H\s*[/-]\s*F|F\s*[/-]\s*H)(?![\p{L}])/iu;
const WORD = /\p{L}+/gu;

/**
 * A title naming the post in one grammatical gender only ("Coordinatrice de CPTS") without
 * "(H/F)", both forms or an inclusive form (Code du travail L1142-1: an offer may not be
 * reserved to one sex).
 */
export function titleForOneSex(title: string): DiscriminationWarning | undefined {
  if (NEUTRAL_MARK.test(title)) return undefined;
  const words = [...title.matchAll(WORD)].map((m) => ({ word: m[0].toLowerCase(), end: m.index + m[0].length }));
  const present = new Set(words.map((w) => w.word.replace(/s$/, '')));
  const { pairs, explanation } = gendered();
  for (const [masculine, feminine] of pairs) {
    for (const w of words) {
      const base = w.word.replace(/s$/, '');
      if (base !== masculine && base !== feminine) continue;
      if (present.has(masculine) && present.has(feminine)) continue;
      // Inclusive spellings: coordinateur·rice, chargé(e), chargé.e, coordinateur-trice.
      if (/^(?:[·.•‧-]|\()\p{L}/u.test(title.slice(w.end))) continue;
      return { field: 'title', ground: 'sexe', match: title.slice(w.end - w.word.length, w.end), explanation };
    }
  }
  return undefined;
}
