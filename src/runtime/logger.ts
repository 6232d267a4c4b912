import { pino } from 'pino';
import type { Logger } from '../ports/logger.ts';

export type { Logger };

/** The runtime's logger: JSON lines on stdout (CloudWatch on Lambda). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'sirbot' } });
}

/** For tests and the CLI, where log lines would mix with output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
