import type { Request } from 'express';
import { NotFound } from './errors.js';

export function flash(req: Request, kind: 'success' | 'error' | 'info', message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, message }];
}

/** Only same-site relative paths are followed after login, never another host. */
export function safeRedirectPath(value: unknown, fallback = '/tableau-de-bord'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '';
}

/** Parses a positive integer route parameter; anything else is a 404 (not a 500). */
export function idParam(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,12}$/.test(value)) return undefined;
  return Number(value);
}

/** A route id as a number, or a 404 (a malformed id is a page that does not exist). */
export function idOr404(value: unknown): number {
  const id = idParam(value);
  if (id === undefined) throw new NotFound();
  return id;
}
