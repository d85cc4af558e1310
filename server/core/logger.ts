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

/**
 * One JSON line per event (pino) on stdout: `{"level":"info","time":"…","pid":…,"msg":…, …}`.
 * Written asynchronously (the access log writes one line per request), flushed on shutdown.
 * `destination` is for tests, which read the lines back.
 */
export function createLogger(level: Level = 'info', options: { bindings?: Record<string, unknown>; destination?: DestinationStream } = {}): RootLogger {
  const p = pino(
    {
      level,
      base: { pid: process.pid, ...options.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
  return wrap(p);
}
