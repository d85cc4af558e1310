import fs from 'node:fs';
import { expect } from 'chai';
import { detectFileType, safeDisplayName } from '../../server/features/applications/files.js';
import { checkDiscrimination, titleForOneSex } from '../../server/features/jobs/discrimination.js';
import { renderMarkdown } from '../../server/features/jobs/markdown.js';
import { docxFile, emptyFile, exeAsPdf, htmlAsPdf, odtFile, pdfFile, plainZip } from '../fixtures/documents.js';

describe('jobs: content checks (file types, non-discrimination, Markdown)', () => {
  it('when real PDF, DOCX and ODT files are read then their type comes from the content', async () => {
    expect(detectFileType(pdfFile())).to.equal('pdf');
    expect(detectFileType(await docxFile())).to.equal('docx');
    expect(detectFileType(await odtFile())).to.equal('odt');
  });

  it('when forged files are read then none is accepted', async () => {
    expect(detectFileType(exeAsPdf())).to.equal(undefined);
    expect(detectFileType(htmlAsPdf())).to.equal(undefined);
    expect(detectFileType(emptyFile())).to.equal(undefined);
    expect(detectFileType(await plainZip())).to.equal(undefined);
    expect(detectFileType(await odtFile('application/vnd.oasis.opendocument.spreadsheet'))).to.equal(undefined);
    expect(detectFileType(Buffer.from('PK\x03\x04 truncated'))).to.equal(undefined);
  });

  it('when a file name carries a path or control characters then only a safe base name is kept', () => {
    expect(safeDisplayName('../../etc/passwd.pdf', 'pdf')).to.equal('passwd.pdf');
    expect(safeDisplayName('..\\..\\windows\\system32\\cv.exe', 'pdf')).to.equal('cv.pdf');
    expect(safeDisplayName('CV\u0000<script>.docx', 'docx')).to.equal('CVscript.docx');
    expect(safeDisplayName('...', 'odt')).to.equal('document.odt');
    expect(safeDisplayName('Élodie Marchand – CV.pdf', 'pdf')).to.equal('Élodie Marchand – CV.pdf');
  });

  it('when the shipped labelled examples are checked then each flagged sentence warns and none of the others does', () => {
    const examples = JSON.parse(fs.readFileSync('db/reference/discrimination-terms.examples.json', 'utf8')) as { should_flag: string[]; should_not_flag: string[] };
    for (const s of examples.should_flag) expect(checkDiscrimination({ description_md: s }), s).to.have.length.greaterThan(0);
    for (const s of examples.should_not_flag) expect(checkDiscrimination({ description_md: s }), s).to.have.length(0);
  });

  it('when a warning is found then it says which ground and why', () => {
    const [w] = checkDiscrimination({ title: 'Coordinateur jeune et dynamique' });
    expect(w.field).to.equal('title');
    expect(w.ground).to.equal('age');
    expect(w.explanation).to.be.a('string').and.not.equal('');
  });

  it('when a title names the post in one gender only then it warns, and a neutral title does not', () => {
    for (const t of ['Coordinatrice de CPTS', 'Coordinateur de CPTS', 'Chargée de communication', 'Infirmière coordinatrice', 'Coordinateurs de parcours']) {
      const w = titleForOneSex(t);
      expect(w, t).to.include({ field: 'title', ground: 'sexe' });
    }
    for (const t of ['Coordinateur de CPTS (H/F)', 'Coordinatrice (F/H)', 'Coordinateur·rice de CPTS', 'Coordinateur ou coordinatrice de CPTS', 'Chargé(e) de mission', 'Chargé de projet H-F', 'Gestionnaire de cas', 'Secrétaire de la CPTS']) {
      expect(titleForOneSex(t), t).to.equal(undefined);
    }
    expect(checkDiscrimination({ title: 'Coordinatrice de CPTS', summary: 'Coordinatrice de CPTS' }).filter((w) => w.ground === 'sexe')).to.have.length(1);
    expect(checkDiscrimination({ summary: 'Coordinatrice de CPTS' })).to.have.length(0);
  });

  it('when Markdown contains HTML, scripts or dangerous links then the output keeps only allowed tags and links', () => {
    const html = renderMarkdown(
      '# Titre\n\n**gras** [site](https://cpts.fr) [x](javascript:alert(1)) <img src=x onerror=alert(1)> <script>alert(1)</script>\n\n<a href="https://a.fr" onclick="x()" style="color:red">lien</a>',
    );
    expect(html).to.contain('<h2>Titre</h2>');
    expect(html).to.contain('<strong>gras</strong>');
    expect(html).to.contain('<a href="https://cpts.fr">site</a>');
    expect(html).not.to.match(/<script|onerror|onclick|style=|<img|javascript:/i);
  });
});
