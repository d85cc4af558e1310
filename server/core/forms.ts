/**
 * Every request body is read here, and nowhere else: urlencoded forms, multipart forms, and the
 * files of the routes declared as uploads. Then, in this order for every request whatever its
 * content type: the CSRF token is checked (no route can skip it), control characters are
 * removed from every value, and a body that could not be read becomes a 400/413 page.
 *
 * Multipart bodies are the delicate case: the token travels inside the body, so it can only be
 * checked once the body is read, and a file must never be written before that. Hence:
 * - on a route that did not declare files, multipart is parsed for its text fields only (in
 *   memory, bounded) and any file part is refused: no side effect can precede the check;
 * - on a declared upload route, files are accepted only after the `_csrf` field, which forms
 *   place first, has been read and verified: a file part arriving before a valid token aborts
 *   the request with a 403 before the storage engine sees a byte.
 */
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer, { type Field, type Options, type StorageEngine } from 'multer';
import { csrfProtection, csrfValid } from './csrf.js';
import { CsrfError, HttpError } from './errors.js';

/** A route that receives files: declared by its feature, parsed here before the token check. */
export type UploadRoute = {
  /** Express path pattern, as the feature's router writes it (POST only: forms post). */
  path: string;
  files: Field[];
  limits: NonNullable<Options['limits']>;
  storage: StorageEngine;
  /** Steps that must run before the body is read (a rate limit answering before the upload). */
  before?: RequestHandler[];
};

/** Largest form without files, whatever its encoding (the urlencoded parser has the same cap). */
export const FORM_MAX_BYTES = 256 * 1024;
const FORM_MAX_FIELDS = 500;

const UPLOAD = Symbol('upload route');
const UNREADABLE = Symbol('unreadable body');
type Marked = Request & { [UPLOAD]?: true; [UNREADABLE]?: unknown };

/**
 * C0 and C1 control characters except tab and newline; carriage returns are normalised to
 * newlines first. Nothing a person types in a form, and NUL breaks text handling downstream.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

// eslint-disable-next-line no-control-regex
const CONTROL_OR_CR = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export function withoutControlCharacters(value: string): string {
  if (!CONTROL_OR_CR.test(value)) return value;
  return value.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** Cleans every string (keys included) of a parsed body or query, in place, however nested. */
export function cleanValues<T>(value: T): T {
  if (typeof value === 'string') return withoutControlCharacters(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanValues(value[i]);
    return value;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const cleanKey = withoutControlCharacters(key);
      const cleaned = cleanValues(record[key]);
      if (cleanKey !== key) {
        delete record[key];
        if (!(cleanKey in record)) record[cleanKey] = cleaned;
      } else {
        record[key] = cleaned;
      }
    }
  }
  return value;
}

/** The error met while reading an upload route's body (a size limit...), for the route's own form message. */
export function uploadFailure(req: Request): unknown {
  return (req as Marked)[UNREADABLE];
}

const TOO_LARGE = new Set(['LIMIT_FILE_SIZE', 'LIMIT_FILE_COUNT', 'LIMIT_PART_COUNT', 'LIMIT_FIELD_COUNT', 'LIMIT_FIELD_VALUE', 'LIMIT_FIELD_KEY']);

function unreadable(err: unknown): HttpError {
  const code = (err as { code?: string })?.code;
  const status = (err as { status?: number })?.status;
  return new HttpError(status === 413 || (code && TOO_LARGE.has(code)) ? 413 : 400, 'unreadable form');
}

/**
 * Runs a multer middleware and keeps what it could not read on the request instead of failing:
 * the token check comes first (a request without token is a 403 whatever else is wrong).
 * A token refused while reading (a file before a valid `_csrf`) fails at once.
 */
function readMultipart(parse: RequestHandler): RequestHandler {
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err instanceof CsrfError) return next(err);
      if (err) (req as Marked)[UNREADABLE] = err;
      // A body multer could not start on (no boundary) is still an object for the checks after.
      req.body ??= {};
      next();
    });
  };
}

/** A file is accepted only once a valid token has been read before it. */
function tokenBeforeFiles(req: Request, _file: Express.Multer.File, cb: multer.FileFilterCallback): void {
  if (!csrfValid(req)) return cb(new CsrfError());
  cb(null, true);
}

/** Counts the bytes of a multipart form without files: busboy itself has no total cap. */
function boundedStream(max: number) {
  return (req: Request, busboy: NodeJS.WritableStream & { destroy(err?: Error): void }) => {
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > max) busboy.destroy(Object.assign(new Error('form too large'), { status: 413 }));
    });
    req.pipe(busboy);
  };
}

export function formRequests(options: { uploads: UploadRoute[] }): Router {
  const r = Router();
  r.use(express.urlencoded({ extended: true, limit: FORM_MAX_BYTES, parameterLimit: FORM_MAX_FIELDS }));

  for (const upload of options.uploads) {
    const parse = multer({ storage: upload.storage, limits: upload.limits, fileFilter: tokenBeforeFiles }).fields(upload.files);
    const mark: RequestHandler = (req, _res, next) => {
      (req as Marked)[UPLOAD] = true;
      next();
    };
    r.post(upload.path, mark, ...(upload.before ?? []), readMultipart(parse));
  }

  const fieldsOnly = multer({
    limits: { fields: FORM_MAX_FIELDS, fieldSize: FORM_MAX_BYTES, parts: FORM_MAX_FIELDS },
    streamHandler: boundedStream(FORM_MAX_BYTES),
  } as Options).none();
  const readFields = readMultipart(fieldsOnly);
  r.use((req, res, next) => {
    if ((req as Marked)[UPLOAD] || !req.is('multipart/form-data')) return next();
    readFields(req, res, next);
  });

  r.use(csrfProtection());

  r.use((req: Request, _res: Response, next: NextFunction) => {
    const failure = (req as Marked)[UNREADABLE];
    if (failure && !(req as Marked)[UPLOAD]) return next(unreadable(failure));
    if (req.body) cleanValues(req.body);
    next();
  });
  return r;
}
