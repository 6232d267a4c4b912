/**
 * Where sirbot's modules write what happened. A port, so use cases and adapters depend
 * on this shape and not on the logging library the composition root picks (pino, whose
 * loggers satisfy it; tests pass a silent or recording one).
 */
export interface LogFn {
  (context: object, message?: string): void;
  (message: string): void;
}

export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface Logger {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  /** A logger adding `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
  /** Whether a line at `level` would be written (to skip building one that would not). */
  isLevelEnabled(level: LogLevelName): boolean;
}
