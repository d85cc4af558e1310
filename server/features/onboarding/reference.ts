import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REFERENCE_FILE = path.resolve(here, '../../../db/reference/onboarding-templates.json');

export const OWNER_ROLES = ['coordinator', 'bureau', 'charge_de_mission', 'mentor'] as const;
export const STEP_TAGS = ['bureau_exchange', 'correspondents', 'network', 'mentor', 'workload_review', 'training'] as const;
export const PLAN_KINDS = ['coordinator', 'case_manager'] as const;
export type OwnerRole = (typeof OWNER_ROLES)[number];
export type StepTag = (typeof STEP_TAGS)[number];
export type PlanKind = (typeof PLAN_KINDS)[number];

const ReferenceStep = z.object({
  key: z.string(),
  phase: z.string(),
  title: z.string().min(1),
  description: z.string(),
  owner_role: z.enum(OWNER_ROLES),
  due_offset_days: z.number().int(),
  resources: z.array(z.object({ label: z.string(), url: z.string() })),
  recurring: z.object({ every_days: z.number().int().positive(), label: z.string() }).nullable(),
  tag: z.enum(STEP_TAGS).nullable(),
});
const ReferenceTemplate = z.object({
  key: z.enum(PLAN_KINDS),
  name: z.string().min(1),
  phases: z.array(z.object({ key: z.string(), label: z.string() })).min(1),
  steps: z.array(ReferenceStep),
});
export type ReferenceTemplate = z.infer<typeof ReferenceTemplate>;

let cache: ReferenceTemplate[] | undefined;

/** The shipped templates (coordinator, case manager); read and checked once. */
export function referenceTemplates(file = REFERENCE_FILE): ReferenceTemplate[] {
  if (file === REFERENCE_FILE && cache) return cache;
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const list = z.array(ReferenceTemplate).parse(Array.isArray(raw) ? raw : (raw as { templates: unknown }).templates);
  if (file === REFERENCE_FILE) cache = list;
  return list;
}
