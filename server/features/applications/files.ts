/**
 * Uploaded documents: the type is read from the content (magic bytes and, for the ZIP-based
 * formats, the archive's entries), never from the name or the browser's MIME type. Files are
 * made durable (fsync) and moved atomically under a random name before any row points at them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

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

export const isZipHead = (head: Buffer) => head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;

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

/** What the upload storage adds to each multer file: where it lies, its hash, its first bytes. */
export type StreamedFile = StoredFile & { head: Buffer };

/** Every file the upload storage created for a request: removed by the route unless committed. */
export function filesWrittenFor(req: Request): string[] {
  const holder = req as Request & { coordoUploads?: string[] };
  holder.coordoUploads ??= [];
  return holder.coordoUploads;
}

/**
 * multer storage for applications: each file is streamed once, straight to its final random
 * name in the documents folder, hashed on the way, and flushed to disk (fsync) before multer
 * hears it is done. No temp copy, no read back for the hash. A process killed mid-upload
 * leaves a file no row points to, which the start-up clean-up removes (cleanup.ts); the route
 * removes the files of a request that does not commit. Callers await namesDurable (the folder's
 * fsync, started here as soon as each name exists) before the transaction that records the rows.
 */
export function durableUploadStorage(uploadDir: string): StorageEngine {
  const dir = documentsDir(uploadDir);
  fs.mkdirSync(dir, { recursive: true });
  return {
    _handleFile(req, file, cb) {
      const storedName = crypto.randomBytes(24).toString('hex');
      const target = path.join(dir, storedName);
      filesWrittenFor(req).push(storedName);
      const hash = crypto.createHash('sha256');
      const headParts: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      const out = fs.createWriteStream(target, { flags: 'wx', flush: true, highWaterMark: 2 * WRITE_BATCH });
      // The name exists once the file is open: its folder's sync can start now (namesDurable).
      out.once('open', () => {
        const synced = folderSync(dir).sync();
        synced.catch(() => undefined); // awaited (and its error raised) by namesDurable
        nameSyncsFor(req).push(synced);
      });
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        file.stream.resume();
        out.destroy();
        cb(err);
      };
      // The socket delivers 16-64 KB at a time; one write per chunk cost more main-thread time
      // than the hash. Chunks are gathered and written WRITE_BATCH bytes at a time.
      const batch: Buffer[] = [];
      let batchBytes = 0;
      const flushBatch = () => {
        if (batchBytes === 0) return;
        // Corked writes reach the file as one writev: no copy into a bigger buffer.
        out.cork();
        let room = true;
        for (const chunk of batch) room = out.write(chunk);
        out.uncork();
        batch.length = 0;
        batchBytes = 0;
        if (!room) {
          file.stream.pause();
          out.once('drain', () => file.stream.resume());
        }
      };
      file.stream.on('data', (chunk: Buffer) => {
        if (failed) return;
        hash.update(chunk);
        size += chunk.length;
        if (headLength < HEAD_BYTES) {
          headParts.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= WRITE_BATCH) flushBatch();
      });
      file.stream.on('end', () => {
        if (failed) return;
        flushBatch();
        out.end();
      });
      file.stream.on('error', fail);
      out.on('error', fail);
      out.on('close', () => {
        if (failed) return;
        const info: StreamedFile & { path: string; size: number } = { path: target, storedName, sha256: hash.digest('hex'), size, head: Buffer.concat(headParts) };
        cb(null, info);
      });
    },
    _removeFile(_req, file, cb) {
      fs.rm(file.path, { force: true }, (err) => cb(err ?? null));
    },
  };
}

const HEAD_BYTES = 8;
// 256 KB: 512 KB batches spent ~2 ms of kernel time per 2 MB file copying chunks that had left
// the CPU's caches into the page cache (perf, docs/benchmarks.md), 64 KB ones more main-thread
// time per write; 96-256 KB measured best (bench upload row, A/B runs).
const WRITE_BATCH = 256 * 1024;

/**
 * fsync of a folder, shared between callers ("group commit"): a caller joins the next sync that
 * starts after its call, never one already running (which may predate its file's name), and
 * every caller arriving while one runs shares the same next one. Ten uploads at once cost one or
 * two folder syncs instead of ten queued journal commits.
 */
export class FolderSync {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly syncOnce: () => Promise<void>) {}

  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<void> {
    const run = this.syncOnce().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}

const folderSyncs = new Map<string, FolderSync>();

function folderSync(dir: string): FolderSync {
  let s = folderSyncs.get(dir);
  if (!s) {
    s = new FolderSync(async () => {
      const handle = await fs.promises.open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    folderSyncs.set(dir, s);
  }
  return s;
}

/** fsync of the documents folder: the names created before the call are durable when it resolves. */
function syncDocumentsDir(uploadDir: string): Promise<void> {
  return folderSync(documentsDir(uploadDir)).sync();
}

function nameSyncsFor(req: Request): Promise<void>[] {
  const holder = req as Request & { coordoNameSyncs?: Promise<void>[] };
  holder.coordoNameSyncs ??= [];
  return holder.coordoNameSyncs;
}

/**
 * The names of the request's files made durable (before any row points at them). The storage
 * starts the folder's sync as soon as a file's name exists, while its content is still
 * arriving, so by the time the form is read it is usually done: the ~17 ms a folder sync waited
 * for the journal under load (benchmark, docs/benchmarks.md) is no longer on the request's path.
 */
export async function namesDurable(req: Request, uploadDir: string): Promise<void> {
  const pending = nameSyncsFor(req);
  if (pending.length === 0) return syncDocumentsDir(uploadDir);
  await Promise.all(pending);
}

export function storedPath(uploadDir: string, storedName: string): string {
  if (!/^[a-f0-9]{48}$/.test(storedName)) throw new Error('invalid stored file name');
  return path.join(documentsDir(uploadDir), storedName);
}

export function removeStored(uploadDir: string, storedNames: string[]): void {
  for (const name of storedNames) fs.rmSync(storedPath(uploadDir, name), { force: true });
}

/**
 * The same, off the event loop (libuv's thread pool): unlinking a freshly flushed 2 MB file
 * takes about a millisecond of the kernel's time, which removeStored spends blocking every other
 * request. For a route that awaits it before it answers; a crash before it is done leaves files
 * no row points to, which the start-up clean-up removes (cleanup.ts).
 */
export async function removeStoredAsync(uploadDir: string, storedNames: string[]): Promise<void> {
  await Promise.all(storedNames.map((name) => fs.promises.rm(storedPath(uploadDir, name), { force: true })));
}
