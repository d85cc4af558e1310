import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import ejs from 'ejs';
import type { Express } from 'express';
import { VIEWS_DIR } from '../../server/app.js';
import { declareLocals, templateNames } from '../../server/core/templates.js';
import { anonymous } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { crawl, seedTenant } from '../helpers/tenant.js';

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return templates(full);
    return e.name.endsWith('.ejs') ? [full] : [];
  });
}

describe('core: templates include by a path from views/', () => {
  it('every include names an existing template from views/ (a relative one costs a file-system check per render)', () => {
    const files = templates(VIEWS_DIR);
    expect(files.length).to.be.greaterThan(50);
    const wrong: string[] = [];
    let includes = 0;
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\binclude\(\s*([^,)]*)/g)) {
        includes++;
        const arg = m[1].trim();
        const literal = /^(['"])(\/[\w/.-]+)\1$/.exec(arg);
        const where = `${path.relative(VIEWS_DIR, file)}: include(${arg})`;
        if (!literal) {
          wrong.push(where);
          continue;
        }
        const target = path.join(VIEWS_DIR, literal[2].endsWith('.ejs') ? literal[2] : `${literal[2]}.ejs`);
        if (!fs.existsSync(target)) wrong.push(`${where} (no such template)`);
      }
    }
    expect(includes).to.be.greaterThan(500);
    expect(wrong).to.deep.equal([]);
  });
});

describe('core: views compiled without `with` render exactly as EJS renders them with it', function () {
  this.timeout(300_000);
  let ctx: TestContext | undefined;
  afterEach(() => ctx?.close());

  it('takes every name the code reads, and no keyword, global, property or comment', () => {
    const names = templateNames(`<%# a comment with words %><% for (const o of rows) { %><%= o.name %><%- include('/x', { title: t('k'), ...extra }) %><% } %><%= Math.round(n ?? 0) %><%% literal %>`);
    expect(names).to.deep.equal(['extra', 'k', 'n', 'o', 'rows', 't', 'title', 'x']);
  });

  it('every template compiles with its declared names', () => {
    const failures: string[] = [];
    for (const file of templates(VIEWS_DIR)) {
      try {
        ejs.compile(declareLocals(fs.readFileSync(file, 'utf8')), { _with: false, localsName: 'locals', filename: file, root: VIEWS_DIR });
      } catch (err) {
        failures.push(`${path.relative(VIEWS_DIR, file)}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('when every page of every role is rendered then the same data gives the same HTML with EJS’s own compilation', async () => {
    ctx = createTestContext();
    const tenant = await seedTenant(ctx);
    const app = ctx.app as Express;
    // Every top-level view rendered during the crawl, with the very data it was given.
    const rendered: { file: string; data: object; html: string }[] = [];
    const failed: string[] = [];
    const engines = (app as unknown as { engines: Record<string, (file: string, data: object, cb: (err: Error | null, html?: string) => void) => void> }).engines;
    const engine = engines['.ejs']!;
    engines['.ejs'] = (file, data, cb) =>
      engine(file, data, (err, html) => {
        if (err) failed.push(`${path.relative(VIEWS_DIR, file)}: ${err.message.split('\n').filter((l) => !/^\s*(>>)?\s*\d+\|/.test(l)).join(' ')}`);
        else if (html !== undefined) rendered.push({ file, data, html });
        cb(err, html);
      });
    for (const who of ['bureau', 'charge', 'admin'] as const) await crawl(app, tenant, await tenant.login(who));
    await crawl(app, tenant, anonymous(app));
    expect(failed, 'no view failed to render').to.deep.equal([]);
    const views = new Set(rendered.map((r) => path.relative(VIEWS_DIR, r.file)));
    expect(views.size, 'views rendered').to.be.greaterThan(80);
    const ours = ejs.fileLoader;
    const differences: string[] = [];
    try {
      ejs.fileLoader = (file: string) => fs.readFileSync(file, 'utf8');
      for (const r of rendered) {
        const stock = await ejs.renderFile(r.file, r.data as ejs.Data, { root: VIEWS_DIR, views: [VIEWS_DIR], cache: false });
        if (stock !== r.html) differences.push(path.relative(VIEWS_DIR, r.file));
      }
    } finally {
      ejs.fileLoader = ours;
    }
    expect([...new Set(differences)]).to.deep.equal([]);
  });
});
