/**
 * Bolt's `App`, its log levels and its request check, taken from the modules that define them rather than from the
 * package's index, which also loads the Express, AWS Lambda and OAuth receivers this bot never uses (about 80 ms and
 * 8 MB at every start, measured in issue 9). `@slack/bolt` is pinned to one version in package.json, and every Slack
 * platform test goes through these: a Bolt upgrade that moves them fails at once. Loaded with `require`, which gives
 * the CommonJS exports as they are under node and under the test runner alike.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const app = require('@slack/bolt/dist/App.js') as typeof import('@slack/bolt/dist/App.js');
const verify =
  require('@slack/bolt/dist/receivers/verify-request.js') as typeof import('@slack/bolt/dist/receivers/verify-request.js');

export const App = app.default;
export type App = InstanceType<typeof App>;
export const LogLevel = app.LogLevel;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];
export const isValidSlackRequest = verify.isValidSlackRequest;
