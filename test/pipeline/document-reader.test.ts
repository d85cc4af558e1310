import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MAX_UNZIPPED_BYTES, odtParagraphs, readDocument, sanitizeDocumentHtml } from '../../server/features/pipeline/document-reader.js';
import { docxFile, odtFile, zip as zipOf } from '../fixtures/documents.js';

const zip = (entries: Parameters<typeof zipOf>[0]) => zipOf(entries, 9);

describe('pipeline: DOCX and ODT documents made readable for the screening view', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-reader-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, data);
    return p;
  };

  it('when a DOCX is read then its paragraphs come out as HTML', async () => {
    const doc = await readDocument(file('cv.docx', await docxFile(['Camille Martin', 'Coordinatrice & cheffe de projet <santé>'])), 'docx');
    expect(doc).to.deep.equal({ kind: 'html', html: '<p>Camille Martin</p><p>Coordinatrice &amp; cheffe de projet &lt;santé&gt;</p>' });
  });

  it('when converted HTML carries scripts, styles, images or unsafe links then only the allow-listed markup stays, headings below the page’s own', () => {
    const html = sanitizeDocumentHtml(
      '<h1>Titre</h1><script>alert(1)</script><p style="color:red" onclick="x()">Texte</p><img src="data:image/png;base64,AAAA" onerror="x()"><a href="javascript:alert(1)">lien</a><a href="https://exemple.fr">site</a><iframe src="https://exemple.fr"></iframe>',
    );
    expect(html).to.equal('<h3>Titre</h3><p>Texte</p><a rel="noopener noreferrer" target="_blank">lien</a><a href="https://exemple.fr" rel="noopener noreferrer" target="_blank">site</a>');
  });

  it('when an ODT is read then its paragraphs and headings come out as text, with spaces, tabs, line breaks and entities, without notes', () => {
    const xml =
      '<office:document-content><office:body><office:text><text:h text:outline-level="1">Expérience</text:h>' +
      '<text:p text:style-name="P1">2019<text:tab/>CPTS <text:span>du Vignoble</text:span>,<text:s text:c="2"/>Nantes</text:p>' +
      '<text:p>Ligne 1<text:line-break/>Ligne 2 &amp; &#233;t&#xE9;</text:p><text:p/>' +
      '<text:p>Avec note<text:note-citation>1</text:note-citation></text:p></office:text></office:body></office:document-content>';
    expect(odtParagraphs(xml)).to.deep.equal([
      { text: 'Expérience', heading: true },
      { text: '2019\tCPTS du Vignoble,  Nantes', heading: false },
      { text: 'Ligne 1\nLigne 2 & été', heading: false },
      { text: 'Avec note', heading: false },
    ]);
    expect(odtParagraphs('<not-odt/>')).to.deep.equal([]);
  });

  it('when a real ODT is read then its text is returned', async () => {
    const doc = await readDocument(file('cv.odt', await odtFile(undefined, ['Camille Martin', 'Parcours'])), 'odt');
    expect(doc).to.deep.equal({ kind: 'paragraphs', paragraphs: [{ text: 'Camille Martin', heading: false }, { text: 'Parcours', heading: false }] });
  });

  it('when a document is damaged, empty, encrypted or expands past the budget then the reason is returned, never an exception', async () => {
    expect(await readDocument(file('bad.docx', Buffer.from('PK\u0003\u0004 garbage')), 'docx')).to.deep.equal({ kind: 'unreadable', reason: 'damaged' });
    expect(await readDocument(path.join(dir, 'missing.odt'), 'odt')).to.deep.equal({ kind: 'unreadable', reason: 'damaged' });
    expect(await readDocument(file('empty.docx', await docxFile([])), 'docx')).to.deep.equal({ kind: 'unreadable', reason: 'empty' });
    const noContent = await zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true }]);
    expect(await readDocument(file('nocontent.odt', noContent), 'odt')).to.deep.equal({ kind: 'unreadable', reason: 'damaged' });
    const encrypted = await zip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
      { name: 'META-INF/manifest.xml', data: '<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>' },
      { name: 'content.xml', data: Buffer.from([0x8f, 0x11, 0x02]) },
    ]);
    expect(await readDocument(file('locked.odt', encrypted), 'odt')).to.deep.equal({ kind: 'unreadable', reason: 'encrypted' });
    // A few kilobytes that expand past the budget: refused before being converted.
    const bomb = await zip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
      { name: 'content.xml', data: Buffer.alloc(MAX_UNZIPPED_BYTES + 1024, 0x20) },
    ]);
    expect(bomb.length).to.be.lessThan(100_000);
    expect(await readDocument(file('bomb.odt', bomb), 'odt')).to.deep.equal({ kind: 'unreadable', reason: 'tooLarge' });
    expect(await readDocument(file('bomb.docx', bomb), 'docx')).to.deep.equal({ kind: 'unreadable', reason: 'tooLarge' });
  });
});
