/**
 * Bolt's `App` and its log levels, taken from the modules that define them rather than from the
 * package's index, which also loads the Express, AWS Lambda and OAuth receivers this bot never uses (about 80 ms and
 * 8 MB at every start, measured in issue 9). `@slack/bolt` is pinned to one version in package.json, and every Slack
 * platform test goes through these: a Bolt upgrade that moves them fails at once. Loaded with `require`, which gives
 * the CommonJS exports as they are under node and under the test runner alike.
 */
import { createRequire, Module } from 'node:module';

const require = createRequire(import.meta.url);
deferSocketMode();
const app = require('@slack/bolt/dist/App.js') as typeof import('@slack/bolt/dist/App.js');

export const App = app.default;
export type App = InstanceType<typeof App>;
export const LogLevel = app.LogLevel;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/**
 * Bolt's `App` module requires its Socket Mode receiver when it loads, and with it `@slack/socket-mode` and the
 * `undici` HTTP client (110 modules: ~70 ms and ~9 MB at every start). This bot never uses Bolt's receivers, and in
 * HTTP mode no Socket Mode at all. So until something reads from `@slack/socket-mode`, the module cache holds a
 * stand-in that loads the real package on first use and hands on whatever is asked of it: our Socket Mode receiver
 * (`socket-receiver.ts`, loaded only with SLACK_APP_TOKEN) gets the real client either way.
 */
function deferSocketMode(): void {
  const path = require.resolve('@slack/socket-mode');
  if (require.cache[path]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[path];
      real = require(path) as object;
    }
    return real;
  };
  const standIn = new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(load(), key),
      has: (_, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = standIn;
  require.cache[path] = module;
}
