import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { VIEWS_DIR } from '../../server/app.js';

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
