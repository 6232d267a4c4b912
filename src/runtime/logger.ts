import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'sirbot' } });
}

/** For tests and the CLI, where log lines would mix with output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
