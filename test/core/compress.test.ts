import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { negotiate } from '../../server/core/compress.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { publishedPosting } from '../fixtures/postings.js';

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

describe('core: a response sent in one piece is compressed in one piece', () => {
  let ctx: TestContext;
  let server: http.Server;
  let port: number;
  let slug: string;
  before(async () => {
    ctx = createTestContext();
    const world = await createWorld(ctx.db);
    slug = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id).slug;
    server = http.createServer(ctx.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    ctx.close();
  });

  // The raw bytes as sent (supertest would decompress them).
  const raw = (path: string, headers: Record<string, string>, method = 'GET') =>
    new Promise<Raw>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('when a client accepts gzip then a page comes gzipped with its Content-Length, not chunked, and unzips to the page', async () => {
    // A signed-out page rendered for each request (the sign-in form starts a session, so the page cache stays out).
    const plain = await raw('/connexion', { 'accept-encoding': 'identity' });
    expect(plain.status).to.equal(200);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.body.length).to.be.greaterThan(1024);

    const gz = await raw('/connexion', { 'accept-encoding': 'gzip' });
    expect(gz.status).to.equal(200);
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gz.headers['transfer-encoding']).to.equal(undefined);
    expect(Number(gz.headers['content-length'])).to.equal(gz.body.length);
    expect(gz.headers.vary).to.match(/Accept-Encoding/);
    const text = zlib.gunzipSync(gz.body).toString('utf8');
    // Each rendering carries its own CSRF token: compare the page without it.
    const withoutToken = (s: string) => s.replace(/value="[^"]{20,}"/g, 'value=""');
    expect(withoutToken(text)).to.equal(withoutToken(plain.body.toString('utf8')));
  });

  it('when a client prefers Brotli (as browsers do) then the page comes in Brotli', async () => {
    const br = await raw('/connexion', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).to.equal('br');
    expect(Number(br.headers['content-length'])).to.equal(br.body.length);
    expect(zlib.brotliDecompressSync(br.body).toString('utf8')).to.contain('</html>');
  });

  it('when a body is under 1 KB, a HEAD request or a 304 then it goes uncompressed', async () => {
    const small = await raw('/healthz', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).to.equal(undefined);
    const head = await raw('/connexion', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).to.equal(200);
    expect(head.headers['content-encoding']).to.equal(undefined);
    expect(head.body.length).to.equal(0);
    const page = await raw(`/offres/${slug}`, { 'accept-encoding': 'identity' });
    const notModified = await raw(`/offres/${slug}`, { 'accept-encoding': 'gzip', 'if-none-match': String(page.headers.etag) });
    expect(notModified.status).to.equal(304);
    expect(notModified.body.length).to.equal(0);
  });

  it('when a file is streamed (a style sheet) then the streaming compression still handles it', async () => {
    const css = await raw('/css/app.css', { 'accept-encoding': 'gzip' });
    expect(css.status).to.equal(200);
    expect(css.headers['content-encoding']).to.equal('gzip');
    expect(zlib.gunzipSync(css.body).length).to.be.greaterThan(1024);
  });

  it('negotiates the encoding as the streaming compression does', () => {
    expect(negotiate(undefined)).to.equal(undefined);
    expect(negotiate('identity')).to.equal(undefined);
    expect(negotiate('gzip')).to.equal('gzip');
    expect(negotiate('gzip, deflate, br, zstd')).to.equal('br');
    expect(negotiate('br;q=0.5, gzip')).to.equal('gzip');
    expect(negotiate('gzip;q=0, br;q=0')).to.equal(undefined);
    expect(negotiate('*')).to.equal('br');
    expect(negotiate('GZIP;Q=0.8')).to.equal('gzip');
    expect(negotiate('deflate')).to.equal(undefined);
  });
});
