import zlib from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

/**
 * Whole-body compression for responses sent in one piece (`res.send`, `res.end(body)`: every
 * rendered page, CSV, calendar, feed), mounted right after the `compression` middleware, which
 * still handles everything written in several pieces (static files, streams).
 *
 * `compression` pipes even a complete body through a zlib stream: the output comes back in
 * chunks, goes out chunked, and the stream's end is a second write to the socket. Here the body
 * is compressed in one call on the thread pool (off the main thread, like the stream) and sent
 * with its Content-Length in one write. Same choices as `compression` (level 1 for gzip, as
 * configured in app.ts; quality 4 for Brotli, its default; 1 KB threshold), so what a client
 * receives only differs in framing (test/core/compress.test.ts).
 */

export const THRESHOLD = 1024;
const GZIP_OPTIONS: zlib.ZlibOptions = { level: 1 };
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|xml|javascript|[\w.-]+\+(?:json|xml))\b)/i;

type Method = 'br' | 'gzip';

/**
 * The encoding to use for an Accept-Encoding header, as `compression` negotiates it: Brotli
 * when accepted at least as much as gzip, else gzip, else none (identity). `*` accepts both.
 */
export function negotiate(header: string | undefined): Method | undefined {
  if (!header) return undefined;
  const q: Partial<Record<Method | '*', number>> = {};
  for (const part of header.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (token !== 'br' && token !== 'gzip' && token !== '*') continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    if (Number.isFinite(weight)) q[token] = weight;
  }
  const br = q.br ?? q['*'] ?? 0;
  const gzip = q.gzip ?? q['*'] ?? 0;
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return undefined;
}

function compressor(method: Method, size: number) {
  return method === 'gzip'
    ? (body: Buffer, cb: zlib.CompressCallback) => zlib.gzip(body, GZIP_OPTIONS, cb)
    : (body: Buffer, cb: zlib.CompressCallback) =>
        zlib.brotliCompress(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size } }, cb);
}

export function wholeBodyCompression() {
  return (req: Request, res: Response, next: NextFunction) => {
    const method = req.method === 'HEAD' ? undefined : negotiate(req.headers['accept-encoding']);
    if (!method) return next();
    const write = res.write;
    const end = res.end;
    let streamed = false;
    let ending = false;
    res.write = function (this: Response, ...args: unknown[]) {
      streamed = true;
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as Response['write'];
    res.end = function (this: Response, chunk?: unknown, encoding?: unknown, cb?: unknown) {
      if (ending) return this;
      const pass = () => (end as (...a: unknown[]) => Response).call(this, chunk, encoding, cb);
      if (streamed || this.headersSent || chunk === undefined || chunk === null || typeof chunk === 'function') return pass();
      if (this.statusCode === 204 || this.statusCode === 304 || (this.statusCode >= 100 && this.statusCode < 200)) return pass();
      if (this.getHeader('Content-Encoding') || /\bno-transform\b/i.test(String(this.getHeader('Cache-Control') ?? ''))) return pass();
      if (!COMPRESSIBLE.test(String(this.getHeader('Content-Type') ?? ''))) return pass();
      const body = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding) : undefined;
      if (!body || body.length < THRESHOLD) return pass();
      const done = typeof encoding === 'function' ? encoding : cb;
      ending = true;
      compressor(method, body.length)(body, (err, out) => {
        if (err || this.headersSent || this.destroyed) return (end as (...a: unknown[]) => Response).call(this, body, done);
        this.vary('Accept-Encoding');
        this.setHeader('Content-Encoding', method);
        this.setHeader('Content-Length', out.length);
        (end as (...a: unknown[]) => Response).call(this, out, done);
      });
      return this;
    } as Response['end'];
    next();
  };
}
