/**
 * Shipped reference data of the jobs feature: the posting templates and the
 * non-discrimination word list (db/reference/*.json), read once and cached.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateKey } from './schemas.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE_DIR = path.resolve(here, '../../../db/reference');

export type JobTemplate = {
  key: TemplateKey;
  kind: 'coordinator' | 'case_manager';
  title: string;
  contract_type: 'CDI' | 'CDD' | 'other';
  contract_duration_months: number | null;
  fte_percent: number | null;
  salary_min: number | null;
  salary_max: number | null;
  summary: string;
  description_md: string;
};

export type DiscriminationTerm = { pattern: string; ground: string; explanation: string };

let templates: JobTemplate[] | undefined;
let terms: { regex: RegExp; ground: string; explanation: string }[] | undefined;

export function jobTemplates(): JobTemplate[] {
  templates ??= JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'job-templates.json'), 'utf8')) as JobTemplate[];
  return templates;
}

export function jobTemplate(key: TemplateKey): JobTemplate {
  const found = jobTemplates().find((t) => t.key === key);
  if (!found) throw new Error(`job template ${key} missing from db/reference/job-templates.json`);
  return found;
}

export type GenderedTitles = { explanation: string; pairs: [string, string][] };
let genderedTitles: GenderedTitles | undefined;

/** Job nouns with a masculine and a feminine form, for the check that a title addresses everyone. */
export function gendered(): GenderedTitles {
  genderedTitles ??= JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'gendered-titles.json'), 'utf8')) as GenderedTitles;
  return genderedTitles;
}

export function discriminationTerms() {
  terms ??= (JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'discrimination-terms.json'), 'utf8')) as DiscriminationTerm[]).map((t) => ({
    regex: new RegExp(t.pattern, 'iu'),
    ground: t.ground,
    explanation: t.explanation,
  }));
  return terms;
}

/** Replaces {{name}} placeholders; unknown placeholders are left visible for the bureau to fix. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => (name in values ? values[name] : m));
}
