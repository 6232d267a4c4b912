export { startSlackEmulator, type SlackEmulator, type SlackEmulatorOptions } from './server.ts';
export { DEFAULT_LIMITS, type RateLimit, type RateLimits } from './rate-limit.ts';
export { BLOCKS, validateBlocks, type BlockRule, type Surface } from './block-kit.ts';
export { ELEMENTS, type ElementRule } from './block-kit-elements.ts';
export { SERVED_METHODS } from './methods/index.ts';
export { MAX_STACK, TRIGGER_TTL_MS, type EmulatedView } from './views-state.ts';
export type {
  CallRecord,
  Channel,
  Directory,
  EmulatedMessage,
  EphemeralFilter,
  EphemeralMessage,
  UploadedFile,
  Workspace,
  WorkspaceStats,
} from './workspace.ts';
