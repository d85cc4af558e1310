/**
 * Uploaded documents: the type is read from the content (magic bytes and, for the ZIP-based
 * formats, the archive's entries), never from the name or the browser's MIME type. Files are
 * made durable (fsync) and moved atomically under a random name before any row points at them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type FileType = 'pdf' | 'docx' | 'odt';

export const FILE_MIME: Record<FileType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
};

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

type ZipEntry = { name: string; method: number; compressedSize: number; localHeaderOffset: number };

/** The entries of a ZIP archive, from its central directory; undefined when it is not one. */
export function zipEntries(buf: Buffer): ZipEntry[] | undefined {
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) return undefined;
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  const floor = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= floor; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== 0x02014b50) return undefined;
    const method = buf.readUInt16LE(offset + 10);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const localHeaderOffset = buf.readUInt32LE(offset + 42);
    if (offset + 46 + nameLength > buf.length) return undefined;
    const name = buf.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    entries.push({ name, method, compressedSize, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of a stored (uncompressed) entry, as ODT requires for its `mimetype`. */
function storedEntryData(buf: Buffer, entry: ZipEntry): Buffer | undefined {
  const at = entry.localHeaderOffset;
  if (entry.method !== 0 || at + 30 > buf.length || buf.readUInt32LE(at) !== 0x04034b50) return undefined;
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  if (start + entry.compressedSize > buf.length) return undefined;
  return buf.subarray(start, start + entry.compressedSize);
}

/** PDF, DOCX or ODT by content; anything else (executables, HTML, empty files) is undefined. */
export function detectFileType(buf: Buffer): FileType | undefined {
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  const entries = zipEntries(buf);
  if (!entries) return undefined;
  const mimetype = entries.find((e) => e.name === 'mimetype');
  if (mimetype && storedEntryData(buf, mimetype)?.toString('latin1') === ODT_MIMETYPE) return 'odt';
  if (entries.some((e) => e.name === '[Content_Types].xml') && entries.some((e) => e.name.startsWith('word/'))) return 'docx';
  return undefined;
}

/**
 * A display name safe anywhere: no directory part (so no traversal), no control or
 * reserved characters, bounded length, and the extension of the detected type.
 */
export function safeDisplayName(original: string, type: FileType): string {
  const base = (original.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .replace(/^\.+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const stem = base.replace(/\.[^.]*$/, '').slice(0, 100).trim() || 'document';
  return `${stem}.${type}`;
}

export function documentsDir(uploadDir: string): string {
  return path.join(uploadDir, 'applications');
}

export function tempRoot(uploadDir: string): string {
  return path.join(uploadDir, 'tmp');
}

export type StoredFile = { storedName: string; sha256: string; size: number };

/** fsync the temp file, rename it under a random name, fsync the folder: durable before the row. */
export function storeDurably(tmpPath: string, uploadDir: string): StoredFile {
  const dir = documentsDir(uploadDir);
  fs.mkdirSync(dir, { recursive: true });
  const data = fs.readFileSync(tmpPath);
  const fd = fs.openSync(tmpPath, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const storedName = crypto.randomBytes(24).toString('hex');
  fs.renameSync(tmpPath, path.join(dir, storedName));
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return { storedName, sha256: crypto.createHash('sha256').update(data).digest('hex'), size: data.length };
}

export function storedPath(uploadDir: string, storedName: string): string {
  if (!/^[a-f0-9]{48}$/.test(storedName)) throw new Error('invalid stored file name');
  return path.join(documentsDir(uploadDir), storedName);
}

export function removeStored(uploadDir: string, storedNames: string[]): void {
  for (const name of storedNames) fs.rmSync(storedPath(uploadDir, name), { force: true });
}
