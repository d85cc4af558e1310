/**
 * The benchmark's references, each in its own process(es), with as many workers as the app
 * (REFERENCE_WORKERS, node:cluster as the app):
 * - REFERENCE=hello: a bare Express 5 "hello", the ceiling of a page;
 * - REFERENCE=upload: a bare Express 5 + multer route that writes the posted file to disk
 *   and syncs it (fsync), the ceiling of the application form's upload.
 */
import cluster from 'node:cluster';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import multer from 'multer';

const kind = process.env.REFERENCE ?? 'hello';
const workers = Number(process.env.REFERENCE_WORKERS ?? 1);
const port = Number(process.env.PORT ?? 0);

if (cluster.isPrimary && workers > 1) {
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === workers) console.log(`${kind} listening ${port} (${workers} workers)`);
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const app = express();
  if (kind === 'upload') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-bench-upload-'));
    const upload = multer({ storage: multer.diskStorage({ destination: dir }), limits: { fileSize: 5 * 1024 * 1024 } });
    app.post('/upload', upload.single('cv'), (req, res, next) => {
      const file = req.file;
      if (!file) return res.status(400).send('no file');
      fs.open(file.path, 'r', (err, fd) => {
        if (err) return next(err);
        fs.fsync(fd, (syncErr) => {
          fs.close(fd, () => {
            // The file is durable; drop it so a long run does not fill the disk.
            fs.unlink(file.path, () => (syncErr ? next(syncErr) : res.send('ok')));
          });
        });
      });
    });
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    process.on('SIGTERM', () => process.exit(0));
  } else {
    app.get('/', (_req, res) => {
      res.send('Hello World!');
    });
  }
  const server = app.listen(port, '127.0.0.1', () => {
    const address = server.address();
    if (workers === 1) console.log(`${kind} listening ${typeof address === 'object' && address ? address.port : ''}`);
  });
}
