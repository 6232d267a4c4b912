import appModule from '@slack/bolt/dist/App.js';
import lambdaReceiverModule from '@slack/bolt/dist/receivers/AwsLambdaReceiver.js';
import httpReceiverModule from '@slack/bolt/dist/receivers/HTTPReceiver.js';

/**
 * Bolt's classes from their own modules, not from `@slack/bolt`'s index: the index also
 * loads the Socket Mode and Express receivers (undici, express, body-parser…), which
 * the Lambda functions never use (src/build/bundle.ts leaves them out). Types still come
 * from `@slack/bolt`.
 *
 * These modules are CommonJS with an `exports.default`: Node gives an ES module their
 * `module.exports` as the default import, vitest and esbuild's interop the `default`
 * itself, so both shapes are accepted.
 */
function defaultOf<T>(m: { default: T }): T {
  return ((m as { default?: T }).default ?? m) as T;
}

export const App = defaultOf(appModule);
export const AwsLambdaReceiver = defaultOf(lambdaReceiverModule);
export const HTTPReceiver = defaultOf(httpReceiverModule);
