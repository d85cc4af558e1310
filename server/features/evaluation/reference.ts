/** The shipped scorecard templates (db/reference/scorecard-templates.json), read once. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GroupKey } from './queries.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE = path.resolve(here, '../../../db/reference/scorecard-templates.json');

export type TemplateCriterion = {
  key: string;
  group: GroupKey;
  label: string;
  description: string;
  weight: number;
  must_have: boolean;
  min_level: number | null;
  levels: Record<'1' | '2' | '3' | '4', string>;
  questions: string[];
};

export type ScorecardTemplate = {
  key: 'coordinator' | 'case_manager';
  name: string;
  groups: { key: GroupKey; label: string }[];
  criteria: TemplateCriterion[];
};

let cache: ScorecardTemplate[] | undefined;

export function scorecardTemplates(): ScorecardTemplate[] {
  cache ??= JSON.parse(fs.readFileSync(FILE, 'utf8')) as ScorecardTemplate[];
  return cache;
}

/** The template for a posting's kind; "other" postings start from the coordinator's. */
export function templateForKind(kind: string): ScorecardTemplate {
  const all = scorecardTemplates();
  return all.find((t) => t.key === kind) ?? all.find((t) => t.key === 'coordinator') ?? all[0];
}

export const GROUP_KEYS: GroupKey[] = ['savoir_etre', 'savoirs', 'savoir_faire'];
