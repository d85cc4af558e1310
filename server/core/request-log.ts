import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** Set on `res.locals` by middleware that answers without a route (static files, page cache). */
export const ROUTE_LABEL = 'routeLabel';

/**
 * The route pattern that answered (`/recrutement/offres/:id`), never the path itself: paths
 * and query strings carry candidates' private link tokens, e-mail addresses and search terms.
 */
export function routePattern(req: Request, res: Response): string {
  const label = res.locals[ROUTE_LABEL] as string | undefined;
  if (label) return label;
  const route = req.route as { path?: unknown } | undefined;
  if (route?.path !== undefined) return `${req.baseUrl}${String(route.path)}`;
  return '(unmatched)';
}

const INCOMING_ID = /^[\w.-]{8,64}$/;

/**
 * First middleware: gives every request an id (echoed as `X-Request-Id`; a reverse proxy's
 * id is kept when the proxy is trusted), then, when the response is done, writes one access
 * line and records the duration by route pattern.
 */
export function requestLog(deps: { logger: Logger; metrics: Metrics; trustProxy: boolean }) {
  const { logger, metrics } = deps;
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const incoming = deps.trustProxy ? req.get('x-request-id') : undefined;
    const id = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routePattern(req, res);
      // A client that went away before the end: nginx's 499.
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const user = (req.user as { id?: number } | undefined)?.id;
      logger.info('request', {
        reqId: id,
        method: req.method,
        route,
        status,
        ms: Math.round(seconds * 1e4) / 10,
        ...(user !== undefined ? { userId: user } : {}),
      });
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
}
