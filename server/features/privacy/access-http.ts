/** Sending the access export: the readable summary page and the ZIP (JSON, summary, documents). */
import { ZipArchive } from 'archiver';
import type { Response } from 'express';
import type { Locale, Translate } from '../../core/i18n.js';
import { storedPath } from '../applications/files.js';
import { readableSections, type AccessExport } from './access.js';

export function summaryLocals(res: Response, data: AccessExport) {
  const t = res.locals.t as Translate;
  const locale = res.locals.locale as Locale;
  const json = data.json as { controller: { name: string; email: string | null }; exportedAt: string };
  return { controller: json.controller, exportedAt: json.exportedAt, sections: readableSections(data.sections, t, locale), zipUrl: null };
}

export function renderToString(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? ''))));
}

export async function sendAccessZip(res: Response, filename: string, data: AccessExport, summaryHtml: string, uploadDir: string): Promise<void> {
  res.attachment(filename);
  res.type('application/zip');
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const finished = new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    res.on('close', resolve);
  });
  zip.pipe(res);
  zip.append(JSON.stringify(data.json, null, 2), { name: 'candidature.json' });
  zip.append(summaryHtml, { name: 'resume.html' });
  for (const d of data.documents) zip.file(storedPath(uploadDir, d.storedName), { name: d.name });
  await zip.finalize();
  await finished;
}
