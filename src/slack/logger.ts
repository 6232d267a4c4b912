import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../ports/logger.ts';

/**
 * Bolt and the Web API client log through sirbot's logger so one stream carries everything.
 * Bolt logs several debug lines per request: a line below the level is dropped before its
 * parts are turned into a string.
 */
export function boltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'bolt' });
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...m: unknown[]) => {
      if (log.isLevelEnabled(level)) log[level](m.map(String).join(' '));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
