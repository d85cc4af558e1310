/**
 * A candidate's DOCX or ODT document made readable inside the screening view. PDFs need no
 * help: the browser's own viewer shows them from the authorised document route.
 *
 * - DOCX: mammoth (the maintained DOCX-to-HTML converter), its output passed through
 *   sanitize-html with an allow-list, images dropped (a CV's photo is not needed to screen and
 *   would otherwise arrive as a data URI of any size).
 * - ODT: no maintained converter exists for Node, so the text of content.xml is read with
 *   yauzl: paragraphs and headings, in order, without the layout.
 *
 * Both are ZIP files written by the candidate: before anything is decompressed for real, every
 * entry is streamed once through yauzl, which refuses an entry larger than it declares, within
 * a total budget, so a "ZIP bomb" costs at most that budget.
 */
import fs from 'node:fs/promises';
import mammoth from 'mammoth';
import sanitizeHtml from 'sanitize-html';
import yauzl from 'yauzl';

/** Decompressed bytes a document may hold in all (a long CV with styles is well under 2 MB). */
export const MAX_UNZIPPED_BYTES = 25 * 1024 * 1024;
const MAX_ENTRIES = 2_000;

/** Why a document cannot be shown: each is a message key (`pipeline.screening.unreadable.*`). */
export type UnreadableReason = 'damaged' | 'tooLarge' | 'encrypted' | 'empty';

export type ReadableDocument = { kind: 'html'; html: string } | { kind: 'paragraphs'; paragraphs: { text: string; heading: boolean }[] } | { kind: 'unreadable'; reason: UnreadableReason };

class Unreadable extends Error {
  constructor(public readonly reason: UnreadableReason) {
    super(reason);
  }
}

/** Streams every entry through yauzl's size check; returns the decompressed content of `wanted` ones. */
async function checkedEntries(buffer: Buffer, wanted: (name: string) => boolean): Promise<Map<string, Buffer>> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw new Unreadable('damaged');
  }
  const out = new Map<string, Buffer>();
  try {
    if (zip.entryCount > MAX_ENTRIES) throw new Unreadable('tooLarge');
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      // Bit 0: the entry is encrypted (a password-protected document).
      if (entry.generalPurposeBitFlag & 0x1) throw new Unreadable('encrypted');
      total += entry.uncompressedSize;
      if (total > MAX_UNZIPPED_BYTES) throw new Unreadable('tooLarge');
      const stream = await zip.openReadStreamPromise(entry);
      const keep = wanted(entry.fileName);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) if (keep) chunks.push(chunk as Buffer);
      if (keep) out.set(entry.fileName, Buffer.concat(chunks));
    }
  } catch (err) {
    if (err instanceof Unreadable) throw err;
    throw new Unreadable('damaged');
  } finally {
    zip.close();
  }
  return out;
}

/** The candidate's headings go below the page's own (h1 page, h2 "CV"). */
const HEADINGS = { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', h5: 'h6', h6: 'h6' };

export function sanitizeDocumentHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['h3', 'h4', 'h5', 'h6', 'p', 'br', 'ul', 'ol', 'li', 'strong', 'em', 'u', 's', 'sup', 'sub', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'blockquote'],
    allowedAttributes: { a: ['href', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      ...HEADINGS,
      // A link out of a CV opens outside the app and tells nothing about where it came from.
      a: (tagName, attribs) => ({ tagName, attribs: { href: attribs.href ?? '', rel: 'noopener noreferrer', target: '_blank' } }),
    },
  });
}

async function docxToHtml(buffer: Buffer): Promise<ReadableDocument> {
  await checkedEntries(buffer, () => false);
  let value: string;
  try {
    ({ value } = await mammoth.convertToHtml(
      { buffer },
      {
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        externalFileAccess: false,
      },
    ));
  } catch {
    throw new Unreadable('damaged');
  }
  const html = sanitizeDocumentHtml(value).trim();
  if (!html.replace(/<[^>]*>/g, '').trim()) throw new Unreadable('empty');
  return { kind: 'html', html };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/**
 * The text of an ODT's content.xml: each text:p and text:h becomes a paragraph (headings
 * marked), spaces (text:s), tabs and line breaks kept, every other element reduced to its text.
 */
export function odtParagraphs(xml: string): { text: string; heading: boolean }[] {
  const start = xml.search(/<office:text[\s>]/);
  const end = xml.lastIndexOf('</office:text>');
  if (start < 0 || end < start) return [];
  const body = xml
    .slice(start, end)
    .replace(/<text:s\s+text:c="(\d{1,3})"\s*\/>/g, (_m, n: string) => ' '.repeat(Math.min(Number(n), 40)))
    .replace(/<text:s\s*\/>/g, ' ')
    .replace(/<text:tab\s*\/>/g, '\t')
    .replace(/<text:line-break\s*\/>/g, '\n')
    // Notes and annotations are not the document's text.
    .replace(/<(text:note-citation|office:annotation)[\s\S]*?<\/\1>/g, '');
  const paragraphs: { text: string; heading: boolean }[] = [];
  for (const m of body.matchAll(/<text:(p|h)\b[^>]*?(?:\/>|>([\s\S]*?)<\/text:\1>)/g)) {
    const text = decodeXml((m[2] ?? '').replace(/<[^>]*>/g, ''))
      .replace(/[ \t]+\n/g, '\n')
      .trim();
    if (text) paragraphs.push({ text, heading: m[1] === 'h' });
  }
  return paragraphs;
}

async function odtToParagraphs(buffer: Buffer): Promise<ReadableDocument> {
  const entries = await checkedEntries(buffer, (name) => name === 'content.xml' || name === 'META-INF/manifest.xml');
  const manifest = entries.get('META-INF/manifest.xml')?.toString('utf8') ?? '';
  // ODF encrypts each part itself (the ZIP is not): the manifest says so.
  if (manifest.includes('encryption-data')) throw new Unreadable('encrypted');
  const content = entries.get('content.xml');
  if (!content) throw new Unreadable('damaged');
  const paragraphs = odtParagraphs(content.toString('utf8'));
  if (!paragraphs.length) throw new Unreadable('empty');
  return { kind: 'paragraphs', paragraphs };
}

/** Reads a stored DOCX or ODT for display; never throws for what the file holds. */
export async function readDocument(file: string, type: 'docx' | 'odt'): Promise<ReadableDocument> {
  try {
    const buffer = await fs.readFile(file);
    return type === 'docx' ? await docxToHtml(buffer) : await odtToParagraphs(buffer);
  } catch (err) {
    if (err instanceof Unreadable) return { kind: 'unreadable', reason: err.reason };
    return { kind: 'unreadable', reason: 'damaged' };
  }
}
