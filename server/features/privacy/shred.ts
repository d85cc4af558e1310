import fs from 'node:fs';
import { storedPath } from '../applications/files.js';

/**
 * Overwrites a stored document before unlinking it: what the file system gives back then holds
 * zeros, not the CV (best effort: copy-on-write file systems and SSDs may keep old blocks).
 */
export function shredStored(uploadDir: string, storedNames: string[]): void {
  for (const name of storedNames) {
    const file = storedPath(uploadDir, name);
    try {
      const size = fs.statSync(file).size;
      const fd = fs.openSync(file, 'r+');
      try {
        fs.writeSync(fd, Buffer.alloc(size), 0, size, 0);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // Already gone: nothing to overwrite.
    }
    fs.rmSync(file, { force: true });
  }
}
