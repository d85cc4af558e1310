/**
 * A table wider than a phone scrolls inside its `.table-wrap` (WCAG 1.4.10), and a region that
 * scrolls must be reachable by keyboard and named (WCAG 2.1.1, 4.1.2; axe
 * "scrollable-region-focusable"). Every view's table wrapper says so, so a new table cannot
 * forget it; the browser sweep checks the names resolve on the rendered pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const VIEWS = path.resolve(import.meta.dirname, '../../views');

function viewFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? viewFiles(path.join(dir, e.name)) : e.name.endsWith('.ejs') ? [path.join(dir, e.name)] : []));
}

describe('views: every table wrapper is a focusable, named scroll region', () => {
  it('when a view wraps a table then the wrapper has tabindex="0", role="region" and a name', () => {
    const wrappers: string[] = [];
    const missing: string[] = [];
    for (const file of viewFiles(VIEWS)) {
      // EJS output tags may hold ">" (`%>`); they stand for a value here.
      const source = fs.readFileSync(file, 'utf8').replace(/<%[\s\S]*?%>/g, 'EJS');
      for (const [tag] of source.matchAll(/<div\b[^>]*class="[^"]*\btable-wrap\b[^"]*"[^>]*>/g)) {
        const where = `${path.relative(VIEWS, file)}: ${tag}`;
        wrappers.push(where);
        const ok = /\stabindex="0"/.test(tag) && /\srole="region"/.test(tag) && /\saria-(label|labelledby)="[^"]+"/.test(tag);
        if (!ok) missing.push(where);
      }
    }
    expect(wrappers.length, 'table wrappers found in the views').to.be.greaterThan(30);
    expect(missing, missing.join('\n')).to.deep.equal([]);
  });
});
