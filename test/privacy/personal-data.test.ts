import { expect } from 'chai';
import { migrate, openDatabase } from '../../server/core/db.js';
import { enqueueMail } from '../../server/core/mailer.js';
import { COPIES, UNRELATED, forgetPerson, identifiersOf, personOf } from '../../server/features/privacy/personal-data.js';
import { createTestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { createApplication, createPosting } from '../pipeline/fixtures.js';

type Column = { name: string; type: string };
type ForeignKey = { table: string; on_delete: string };

/** Columns that can hold text: declared TEXT, or with no type (SQLite stores anything there). */
const isTextual = (c: Column) => !/INT|REAL|FLOA|DOUB|NUM|BOOL/i.test(c.type);

describe('privacy: the registry of personal data covers every table of the schema', () => {
  const db = openDatabase(':memory:');
  migrate(db);
  after(() => db.close());
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const columnsOf = (table: string) => db.prepare(`PRAGMA table_info("${table}")`).all() as Column[];
  const copies = new Map(COPIES.map((c) => [c.table, c]));

  it('when a table has a text column then it is declared: a copy of a candidate’s data, or holding none with a reason', () => {
    const undeclared: string[] = [];
    for (const table of tables) {
      const declared = new Set([...(copies.get(table)?.personal ?? []), ...(copies.get(table)?.other ?? []), ...(UNRELATED[table]?.columns ?? [])]);
      for (const c of columnsOf(table).filter(isTextual)) if (!declared.has(c.name)) undeclared.push(`${table}.${c.name}`);
    }
    expect(undeclared, 'declare these columns in server/features/privacy/personal-data.ts (COPIES) or unrelated.ts').to.deep.equal([]);
  });

  it('when a table or column is declared then it exists, and a table is declared once', () => {
    const stale: string[] = [];
    for (const [table, columns] of [...COPIES.map((c) => [c.table, [...c.personal, ...c.other]] as const), ...Object.entries(UNRELATED).map(([t, u]) => [t, u.columns] as const)]) {
      if (!tables.includes(table)) {
        stale.push(table);
        continue;
      }
      const names = columnsOf(table).map((c) => c.name);
      for (const c of columns) if (!names.includes(c)) stale.push(`${table}.${c}`);
    }
    expect(stale).to.deep.equal([]);
    expect(COPIES.filter((c) => c.table in UNRELATED).map((c) => c.table)).to.deep.equal([]);
    expect(new Set(COPIES.map((c) => c.table)).size).to.equal(COPIES.length);
    expect(tables.filter((t) => !copies.has(t) && !(t in UNRELATED) && columnsOf(t).some(isTextual))).to.deep.equal([]);
  });

  it('when a copy says its rows go with the application then a chain of ON DELETE CASCADE leads to applications', () => {
    const cascades = (table: string, seen = new Set<string>()): boolean => {
      if (table === 'applications') return true;
      if (seen.has(table)) return false;
      seen.add(table);
      const fks = db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as ForeignKey[];
      return fks.some((fk) => fk.on_delete === 'CASCADE' && cascades(fk.table, seen));
    };
    const broken = COPIES.filter((c) => c.erase === 'cascade' && !cascades(c.table)).map((c) => c.table);
    expect(broken).to.deep.equal([]);
    // And a table tied to an application that is not a copy would outlive an erasure unnoticed.
    const tied = tables.filter((t) => t !== 'applications' && cascades(t));
    expect(tied.filter((t) => !copies.has(t) && columnsOf(t).some(isTextual))).to.deep.equal([]);
  });

  it('when the person is looked for in text then every form is tried, longest first, short names left out', () => {
    const ids = identifiersOf({ email: 'Noe.Lo@x.test', firstName: 'Noé', lastName: 'Lo', phone: '06 12 34 56 78' });
    expect(ids).to.include.members(['Noe.Lo@x.test', 'noe.lo@x.test', 'Noé Lo', 'Lo Noé', '06 12 34 56 78', '0612345678', 'Noé']);
    expect(ids).not.to.include('Lo');
    expect(ids[0]!.length).to.be.at.least(ids[ids.length - 1]!.length);
    expect(identifiersOf({ email: 'a@b.test', firstName: 'Zoë', lastName: "D'Arc", phone: '' })).to.include('D&#39;Arc');
  });
});

describe('privacy: mails that name no application are found by address or full name, within the CPTS', () => {
  it('when a person is erased then old unlinked mails to them go, a sent one naming them in full is scrubbed, a namesake and another CPTS untouched', async () => {
    const ctx = createTestContext();
    try {
      const world = await createWorld(ctx.db);
      const posting = createPosting(ctx.db, world.orgA.id);
      const app = createApplication(ctx.db, posting, { firstName: 'Gaspard', lastName: 'Vermillon', email: 'gaspard.v@example.test' });
      const mail = (to: string, text: string, status: string, organisationId: number) => {
        const id = enqueueMail(ctx.db, { template: 'legacy', to, subject: 'Sujet', text, html: `<p>${text}</p>`, organisationId });
        ctx.db.prepare('UPDATE outbox SET status = ? WHERE id = ?').run(status, id);
        return id;
      };
      const toThem = mail('gaspard.v@example.test', 'Bonjour Gaspard Vermillon, votre lien…', 'pending', world.orgA.id);
      const aboutThem = mail(world.bureauA.email, 'Nouvelle candidature de Gaspard Vermillon et de Lou Autre', 'sent', world.orgA.id);
      const namesake = mail(world.bureauA.email, 'Gaspard (le stagiaire) arrive lundi', 'sent', world.orgA.id);
      const elsewhere = mail('gaspard.v@example.test', 'Bonjour Gaspard Vermillon (CPTS Bravo)', 'pending', world.orgB.id);
      const person = personOf(ctx.db, world.orgA.id, 'GASPARD.V@example.test')!;
      expect(person.applicationIds).to.deep.equal([app.id]);
      const result = forgetPerson(ctx.db, person, 'erase');
      expect(result).to.include({ mailsCancelled: 1, mailsScrubbed: 1 });
      const text = (id: number) => ctx.db.prepare('SELECT text_body FROM outbox WHERE id = ?').pluck().get(id);
      expect(text(toThem)).to.equal(undefined);
      expect(text(aboutThem)).to.equal('Nouvelle candidature de [effacé] et de Lou Autre');
      expect(text(namesake)).to.equal('Gaspard (le stagiaire) arrive lundi');
      expect(text(elsewhere)).to.equal('Bonjour Gaspard Vermillon (CPTS Bravo)');
      expect(ctx.db.prepare('SELECT COUNT(*) FROM applications WHERE id = ?').pluck().get(app.id)).to.equal(0);
    } finally {
      ctx.close();
    }
  });
});
