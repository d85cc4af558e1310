import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { auditLabels } from '../../server/features/privacy/audit-labels.js';

/** Every audit code written anywhere in the server has a French and an English label. */
describe('privacy: the audit log speaks French', () => {
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const codes = new Set<string>();
  for (const file of files(path.resolve('server'))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('audit(')) continue;
    for (const m of text.matchAll(/audit\([^;]*?action: '([a-z_.]+)'/gs)) codes.add(m[1]!);
  }

  it('when the server’s audit codes are listed then each has a readable label in both languages', () => {
    expect(codes.size).to.be.greaterThan(20);
    const missing = [...codes].filter((c) => !auditLabels.fr[`audit.action.${c}`] || !auditLabels.en[`audit.action.${c}`]);
    expect(missing).to.deep.equal([]);
  });
});
