import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from '../helpers/app.js';
import { csrfFrom, type Agent } from '../helpers/agent.js';
import { pdfFile } from '../fixtures/documents.js';

export type Upload = { field: string; data: Buffer; filename: string; contentType?: string };

export const VALID_FIELDS = {
  first_name: 'Camille',
  last_name: 'Martin',
  email: 'camille.martin@exemple.test',
  phone: '06 12 34 56 78',
  message: 'Je souhaite rejoindre votre CPTS.',
  source: 'board',
};

export const cv = (data = pdfFile(), filename = 'CV Camille.pdf', contentType = 'application/pdf'): Upload => ({ field: 'cv', data, filename, contentType });

/** The CSRF token of the apply form, as a browser gets it. */
export async function applyToken(agent: Agent, slug: string): Promise<string> {
  const page = await agent.get(`/offres/${slug}/postuler`);
  return csrfFrom(page.text);
}

/** A multipart post of the apply form; `token: undefined` sends no token at all. */
export function postApplication(agent: Agent, slug: string, token: string | undefined, fields: Record<string, string | string[]>, files: Upload[]) {
  let req = agent.post(`/offres/${slug}/postuler`);
  if (token !== undefined) req = req.field('_csrf', token);
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) req = req.field(k, one);
  for (const f of files) req = req.attach(f.field, f.data, { filename: f.filename, contentType: f.contentType ?? 'application/octet-stream' });
  return req;
}

export async function apply(agent: Agent, slug: string, fields: Record<string, string | string[]> = VALID_FIELDS, files: Upload[] = [cv()]) {
  return postApplication(agent, slug, await applyToken(agent, slug), fields, files);
}

function filesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Everything an application can leave behind: rows and files. */
export function footprint(ctx: TestContext) {
  const n = (table: string) => (ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    candidates: n('candidates'),
    applications: n('applications'),
    documents: n('application_documents'),
    links: n('application_links'),
    outbox: n('outbox'),
    files: filesIn(ctx.config.uploadDir).length,
  };
}

/** The apply form's answer to anything it accepts (or silently drops): 303 to one confirmation page. */
export function sentLocation(slug: string): string {
  return `/offres/${slug}/postuler/envoyee`;
}
