// The server's logger: pino, as readable lines (pino-pretty, formatted in this thread: no
// transport worker) or as one JSON object per line for log collectors. Lines are written to
// standard output asynchronously: a slow reader of the logs (a full pipe) must never stall the
// event loop, as a synchronous write does. What is buffered is flushed when the process exits;
// beyond LOG_BUFFER_BYTES waiting, lines are dropped rather than memory grown.
//
// Most modules receive a plain `log(msg, err?)` function (tests pass `() => {}`); the function
// built here also carries optional `info`/`debug`/`warn` methods for structured lines, so callers
// write `log.info?.('session started', { session })` and a bare function simply drops them.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type Fields = Record<string, unknown>;

export interface LogFn {
  /** A problem: an error when `err` is given, a warning otherwise. */
  (msg: string, err?: unknown): void;
  info?(msg: string, fields?: Fields): void;
  debug?(msg: string, fields?: Fields): void;
  warn?(msg: string, fields?: Fields): void;
}

export type LogFormat = 'pretty' | 'json';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevel;
  /** Where lines go; standard output by default. */
  destination?: NodeJS.WritableStream;
  /** Colours in pretty output; by default when the destination is a terminal. */
  colorize?: boolean;
}

/** Log output waiting for a slow reader, at most; more is dropped. */
export const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

export function createLogger(o: LoggerOptions): Logger {
  // Level names ("info"), not numbers, in JSON: easier to filter on.
  const base = { level: o.level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label: string) => ({ level: label }) } };
  const destination = o.destination ?? pino.destination({ dest: 1, sync: false, maxLength: LOG_BUFFER_BYTES });
  if (o.format === 'json') return pino(base, destination);
  const stream = pretty({
    colorize: o.colorize ?? Boolean((o.destination ?? process.stdout) === process.stdout && process.stdout.isTTY),
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'component',
    messageFormat: '{if component}[{component}] {end}{msg}',
    destination: destination as Writable,
  });
  return pino(base, stream);
}

/** The injected `log(msg, err?)` shape, backed by a pino logger (optionally tagged with a component). */
export function logFn(logger: Logger, component?: string): LogFn {
  const l = component ? logger.child({ component }) : logger;
  const fn: LogFn = (msg: string, err?: unknown) => {
    if (err === undefined) l.warn(msg);
    else l.error({ err: err instanceof Error ? err : { message: String(err) } }, msg);
  };
  fn.info = (msg, fields) => l.info(fields ?? {}, msg);
  fn.debug = (msg, fields) => l.debug(fields ?? {}, msg);
  fn.warn = (msg, fields) => l.warn(fields ?? {}, msg);
  return fn;
}

/** Logs nothing; for tests and tools that want quiet. */
export const silentLog: LogFn = () => {};
