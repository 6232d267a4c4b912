import type { Logger } from './logger.ts';

let unhandled = 0;
let installed = false;

/**
 * A promise rejection nobody handled is a bug to fix, not a reason to stop the process
 * and drop every delivery in flight: it is logged with its cause and counted
 * (`/healthz` shows the count). Installed once per process.
 */
export function guardUnhandledRejections(logger: Logger): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason: unknown) => {
    unhandled++;
    logger.error({ err: reason }, 'unhandled promise rejection; the process keeps running');
  });
}

export function unhandledRejections(): number {
  return unhandled;
}
