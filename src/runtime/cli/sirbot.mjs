#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx sirbot` works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../sdk-notice.ts');
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
