export { startSlackEmulator, type SlackEmulator, type SlackEmulatorOptions } from './server.ts';
export { DEFAULT_LIMITS, type RateLimit, type RateLimits } from './rate-limit.ts';
export { validateBlocks, type Surface } from './block-kit.ts';
export type { EmulatedMessage, CallRecord } from './workspace.ts';
