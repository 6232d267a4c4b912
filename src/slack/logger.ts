import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../runtime/logger.ts';

/** Bolt and the Web API client log through sirbot's logger so one stream carries everything. */
export function boltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'bolt' });
  return {
    debug: (...m) => log.debug(m.map(String).join(' ')),
    info: (...m) => log.info(m.map(String).join(' ')),
    warn: (...m) => log.warn(m.map(String).join(' ')),
    error: (...m) => log.error(m.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

