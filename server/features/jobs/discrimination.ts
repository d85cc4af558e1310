import { discriminationTerms } from './reference.js';

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
  return warnings;
}
