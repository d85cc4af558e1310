/**
 * The text of an uploaded document, for the regional pool's full-text search (issue 17). PDF
 * through unpdf (Mozilla's pdf.js packaged for servers, no native code and no worker); DOCX
 * and ODT are ZIP archives whose text sits in one XML part (word/document.xml, content.xml),
 * read with the ZIP directory reader files.ts already trusts and node:zlib. Bounded: a
 * document gives at most MAX_TEXT characters, and a failure gives '' (the upload never fails
 * because its text could not be read).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { zipEntries } from './files.js';
import type { FileType } from './files.js';

/** Characters kept per document: a long CV is about 20,000; the rest is not worth indexing. */
export const MAX_TEXT = 50_000;
/** A deflated XML part larger than this is not a CV (zip bomb guard). */
const MAX_XML_BYTES = 20 * 1024 * 1024;

function zipPart(buf: Buffer, name: string): Buffer | undefined {
  const entry = zipEntries(buf)?.find((e) => e.name === name);
  if (!entry) return undefined;
  const at = entry.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== 0x04034b50) return undefined;
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method === 8) return zlib.inflateRawSync(data, { maxOutputLength: MAX_XML_BYTES });
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML to text: paragraphs and line breaks become spaces, tags go, entities are decoded. */
export function xmlText(xml: string): string {
  return xml
    .replace(/<(w:p|w:br|w:tab|text:p|text:h|text:line-break|text:tab|text:s)\b[^>]*\/?>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

const tidy = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);

/** The text of a document already checked by type (files.ts detectFileType). */
export async function extractText(buf: Buffer, type: FileType): Promise<string> {
  try {
    if (type === 'pdf') {
      const { extractText: pdfText, getDocumentProxy } = await import('unpdf');
      const pdf = await getDocumentProxy(new Uint8Array(buf));
      try {
        const { text } = await pdfText(pdf, { mergePages: true });
        return tidy(text);
      } finally {
        await pdf.loadingTask.destroy();
      }
    }
    const part = zipPart(buf, type === 'docx' ? 'word/document.xml' : 'content.xml');
    return part ? tidy(xmlText(part.toString('utf8'))) : '';
  } catch {
    return '';
  }
}

export const extractFileText = async (path: string, type: FileType) => extractText(fs.readFileSync(path), type);
