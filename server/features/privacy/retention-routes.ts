import type { Router } from 'express';
import { ZipArchive } from 'archiver';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { NotFound } from '../../core/errors.js';
import { clientIp, flash, idParam } from '../../core/http.js';
import { authorize, regionIdsOf } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { storedPath } from '../applications/files.js';
import { organisationById, organisationsOfRegions, regionById } from '../organisations/queries.js';
import { retentionPreview } from './retention.js';
import { EraseConfirm } from './schemas.js';
import * as service from './service.js';

function idOr404(value: unknown): number {
  const id = idParam(value);
  if (id === undefined) throw new NotFound();
  return id;
}

/** Retention preview pages and the bureau's GDPR actions on a candidate (export, erasure). */
export function retentionRoutes(r: Router, ctx: AppContext): void {
  const { db, config } = ctx;
  const settings = { retentionMonths: config.retentionMonths, talentPoolMonths: config.talentPoolMonths };

  r.get('/organisations/:id/conservation', requireAuth, (req, res) => {
    const org = organisationById(db, idOr404(req.params.id));
    authorize(actor(req), 'retention.preview', org);
    res.render('privacy/retention', { area: { kind: 'org', id: org.id, name: (org as { name: string }).name }, rows: retentionPreview(db, [org.id], settings), ...settings });
  });

  r.get('/regions/:id/conservation', requireAuth, (req, res) => {
    const region = regionById(db, idOr404(req.params.id));
    if (!region || !regionIdsOf(actor(req)).includes(region.id)) throw new NotFound();
    const orgIds = organisationsOfRegions(db, [region.id]).map((o) => o.id);
    res.render('privacy/retention', { area: { kind: 'region', id: region.id, name: region.name }, rows: retentionPreview(db, orgIds, settings), ...settings });
  });

  r.get('/recrutement/candidatures/:id/donnees.zip', requireAuth, async (req, res) => {
    const { app, data } = service.exportForBureau(db, actor(req), idOr404(req.params.id), clientIp(req));
    res.attachment(`candidature-${app.id}.zip`);
    res.type('application/zip');
    const zip = new ZipArchive({ zlib: { level: 6 } });
    const finished = new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      res.on('close', resolve);
    });
    zip.pipe(res);
    zip.append(JSON.stringify(data.json, null, 2), { name: 'candidature.json' });
    for (const d of data.documents) zip.file(storedPath(config.uploadDir, d.storedName), { name: d.name });
    await zip.finalize();
    await finished;
  });

  r.get('/recrutement/candidatures/:id/effacer', requireAuth, (req, res) => {
    const app = service.gdprApplication(db, actor(req), idOr404(req.params.id));
    res.render('privacy/retention-erase', { a: app });
  });

  r.post('/recrutement/candidatures/:id/effacer', requireAuth, (req, res) => {
    const id = idOr404(req.params.id);
    const app = service.gdprApplication(db, actor(req), id);
    parseInput(EraseConfirm, req.body, { view: 'privacy/retention-erase', locals: { a: app } });
    service.eraseForBureau(db, actor(req), id, config.uploadDir, clientIp(req));
    flash(req, 'success', 'gdpr.erased');
    res.redirect(`/recrutement/offres/${app.posting_id}`);
  });
}
