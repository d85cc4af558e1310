import { pino, type DestinationStream, type Logger as Pino } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What the code calls: `logger.info('message', { fields })`. */
export type Logger = Record<Exclude<Level, 'silent'>, (msg: string, fields?: Record<string, unknown>) => void>;

/** The process's logger: also gives children with fixed fields and flushes before an exit. */
export type RootLogger = Logger & {
  child: (bindings: Record<string, unknown>) => RootLogger;
  /** Writes out what is buffered; call before `process.exit`. */
  flush: () => void;
};

function wrap(p: Pino): RootLogger {
  const at = (level: Exclude<Level, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) p[level](fields, msg);
    else p[level](msg);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(p.child(bindings)),
    flush: () => p.flush(),
  };
}

/** Lines are written out in batches of this many bytes, or after FLUSH_MS, whichever comes first. */
const BATCH_BYTES = 4096;
const FLUSH_MS = 1000;

/**
 * One JSON line per event (pino) on stdout: `{"level":"info","time":"…","pid":…,"msg":…, …}`.
 * Written asynchronously and in batches (the access log writes one line per request: one write
 * to stdout per line cost a busy public page about a fifth of its time), at the latest a second
 * after they were logged, and flushed on exit (pino's exit handler). `destination` is for
 * tests, which read the lines back.
 */
export function createLogger(level: Level = 'info', options: { bindings?: Record<string, unknown>; destination?: DestinationStream } = {}): RootLogger {
  let destination = options.destination;
  if (!destination) {
    const stdout = pino.destination({ dest: 1, sync: false, minLength: level === 'silent' ? 0 : BATCH_BYTES });
    if (level !== 'silent') {
      const timer = setInterval(() => {
        // Nothing to write, or a write already on its way: the next tick will do.
        try {
          stdout.flush();
        } catch {
          /* not ready yet (the file descriptor opens asynchronously) */
        }
      }, FLUSH_MS).unref();
      stdout.on('close', () => clearInterval(timer));
    }
    destination = stdout;
  }
  const p = pino(
    {
      level,
      base: { pid: process.pid, ...options.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return wrap(p);
}
