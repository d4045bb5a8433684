/**
 * The routes behind our one Bolt listener per Slack surface (src/platforms/slack/listeners/routes.ts), on a real Bolt
 * app with the dispatcher in front, as the receivers use it: each request reaches the handler of its id; one no
 * handler knows is not acked, so the dispatcher says "no longer in use" as it did when no Bolt listener matched; a
 * handler's error still reaches `app.error`. The same requests against the same handlers registered on Bolt directly
 * (as before the routes) must be answered alike.
 */
import type { AllMiddlewareArgs, Logger } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/platforms/slack/bolt.ts';
import { SlackDispatcher, STALE_BUTTON, STALE_FORM, STALE_SHORTCUT } from '../../src/platforms/slack/dispatcher.ts';
import { classifySlackBody } from '../../src/platforms/slack/envelope.ts';
import { SlackRoutes } from '../../src/platforms/slack/listeners/routes.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const logger = { ...quiet, setLevel: () => {}, getLevel: () => 'info', setName: () => {} } as unknown as Logger;

type Args = AllMiddlewareArgs & { ack?: (response?: unknown) => Promise<void>; [key: string]: unknown };
type Handler = (args: Args) => Promise<void>;

/** A handler that notes it ran (and with which of Bolt's arguments), then acks with `answer`. */
function handler(ran: string[], seen: Record<string, string[]>, name: string, answer?: object): Handler {
  return async (args) => {
    ran.push(name);
    seen[name] = Object.keys(args).sort();
    if (name.startsWith('failing')) throw new Error(`${name} failed`);
    await args.ack?.(answer);
  };
}

/**
 * A Bolt app with the dispatcher in front of it; `register` puts our handlers on it, through the routes or on Bolt
 * directly. Returns what to send requests with, and what ran.
 */
function botWith(register: (app: InstanceType<typeof App>, h: (name: string, answer?: object) => Handler) => void) {
  const app = new App({
    authorize: async () => ({ botToken: 'xoxb-test', botId: 'B1', botUserId: 'UBOT', teamId: 'T1' }),
    receiver: { init: () => {}, start: async () => {}, stop: async () => {} },
    logger,
    extendedErrorHandler: true,
  });
  const dispatcher = new SlackDispatcher(quiet);
  const ephemerals: { text: string }[] = [];
  dispatcher.speakWith({ chat: { postEphemeral: async (a: { text: string }) => ephemerals.push(a) } } as never);
  dispatcher.attach(app);
  const errors: string[] = [];
  app.error(async ({ error, body }: { error: Error; body: unknown }) => {
    errors.push(error.message);
    dispatcher.listenerFailed(body);
  });
  const ran: string[] = [];
  const seen: Record<string, string[]> = {};
  register(app, (name, answer) => handler(ran, seen, name, answer));
  const send = async (body: object) => {
    const parsed = classifySlackBody(body);
    if (!parsed.ok) throw new Error(parsed.error);
    const answer = await dispatcher.dispatch(parsed.envelope, { requestId: 'r1' });
    // The "no longer in use" notice is posted after the answer.
    await new Promise((resolve) => setImmediate(resolve));
    return answer;
  };
  return { app, send, ran, seen, ephemerals, errors };
}

const user = { id: 'U1', team_id: 'T1' };
const command = (name: string) => ({
  command: name,
  user_id: 'U1',
  channel_id: 'C1',
  trigger_id: 't1',
  text: '',
  response_url: 'https://hooks.slack.test/commands/1',
});
const press = (actionId: string) => ({
  type: 'block_actions',
  user,
  channel: { id: 'C1' },
  trigger_id: 't1',
  container: { type: 'message', message_ts: '1.1' },
  actions: [{ action_id: actionId, block_id: 'b1', type: 'button', value: 'FR-1' }],
  response_url: 'https://hooks.slack.test/actions/1',
});
const form = (callbackId: string, type = 'view_submission') => ({
  type,
  user,
  view: {
    id: 'V1',
    callback_id: callbackId,
    hash: '1.h',
    state: { values: { title: { t: { type: 'plain_text_input' } } } },
  },
});
const shortcut = (callbackId: string, type = 'message_action') => ({
  type,
  callback_id: callbackId,
  trigger_id: 't1',
  user,
  channel: { id: 'C1' },
  message: { ts: '1.1', text: 'hello' },
  response_url: 'https://hooks.slack.test/shortcuts/1',
});
const event = (type: string) => ({ type: 'event_callback', event_id: `Ev-${type}`, event: { type, user: 'U1' } });

/** Two handlers on every surface we use, and one that fails. */
function routed(app: InstanceType<typeof App>, h: (name: string, answer?: object) => Handler) {
  const routes = new SlackRoutes(app);
  routes.command('/coe', h('coe', { text: 'coe answered' }) as never);
  routes.command('/friction', h('friction') as never);
  routes.command('/boom', h('failing command') as never);
  routes.view('form.one', h('form one', { response_action: 'clear' }) as never);
  routes.view('form.two', h('form two') as never);
  routes.action('button.one', h('button one') as never);
  routes.action('button.two', h('button two') as never);
  routes.shortcut({ callback_id: 'shortcut.one', type: 'message_action' }, h('shortcut one') as never);
  routes.shortcut({ callback_id: 'shortcut.two', type: 'message_action' }, h('shortcut two') as never);
  routes.event('app_home_opened', h('home') as never);
}

/** The same handlers as Bolt listeners of their own, registered as the listener files did before the routes. */
function direct(app: InstanceType<typeof App>, h: (name: string, answer?: object) => Handler) {
  app.command('/coe', h('coe', { text: 'coe answered' }) as never);
  app.command('/friction', h('friction') as never);
  app.command('/boom', h('failing command') as never);
  app.view('form.one', h('form one', { response_action: 'clear' }) as never);
  app.view('form.two', h('form two') as never);
  app.action({ type: 'block_actions', action_id: 'button.one' }, h('button one') as never);
  app.action({ type: 'block_actions', action_id: 'button.two' }, h('button two') as never);
  app.shortcut({ callback_id: 'shortcut.one', type: 'message_action' }, h('shortcut one') as never);
  app.shortcut({ callback_id: 'shortcut.two', type: 'message_action' }, h('shortcut two') as never);
  app.event('app_home_opened', h('home') as never);
}

/** Known ids, unknown ids, and known ids of another type than their handler's (which Bolt's constraints refused). */
const REQUESTS: [string, object][] = [
  ['/coe', command('/coe')],
  ['/friction', command('/friction')],
  ['an unknown command', command('/nope')],
  ['a failing command', command('/boom')],
  ['form one', form('form.one')],
  ['form two', form('form.two')],
  ['an unknown form', form('form.old')],
  ['form one closed', form('form.one', 'view_closed')],
  ['button one', press('button.one')],
  ['button two', press('button.two')],
  ['an unknown button', press('button.old')],
  ['shortcut one', shortcut('shortcut.one')],
  ['an unknown shortcut', shortcut('shortcut.old')],
  ['shortcut one as a global shortcut', shortcut('shortcut.one', 'shortcut')],
  ['app home', event('app_home_opened')],
  ['another event', event('app_mention')],
];

describe('SlackRoutes', () => {
  it('gives Bolt one listener per surface, however many handlers each has', () => {
    const bot = botWith(routed);
    // Bolt keeps its listeners in `listeners`; before the routes there was one per handler.
    expect((bot.app as unknown as { listeners: unknown[] }).listeners).toHaveLength(5);
  });

  it('routes each request to the handler of its id, whose ack is the answer', async () => {
    const bot = botWith(routed);
    expect(await bot.send(command('/coe'))).toEqual({ status: 200, body: { text: 'coe answered' } });
    expect(await bot.send(form('form.one'))).toEqual({ status: 200, body: { response_action: 'clear' } });
    await bot.send(form('form.two'));
    await bot.send(press('button.two'));
    await bot.send(press('button.one'));
    await bot.send(shortcut('shortcut.two'));
    await bot.send(command('/friction'));
    await bot.send(event('app_home_opened'));
    expect(bot.ran).toEqual([
      'coe',
      'form one',
      'form two',
      'button two',
      'button one',
      'shortcut two',
      'friction',
      'home',
    ]);
    expect(bot.ephemerals).toEqual([]);
    // Bolt's listener arguments reach the handler as they are, `respond` and `client` included.
    expect(bot.seen.coe).toEqual(expect.arrayContaining(['ack', 'body', 'client', 'command', 'respond', 'say']));
    expect(bot.seen['button one']).toEqual(expect.arrayContaining(['ack', 'action', 'body', 'client', 'respond']));
    expect(bot.seen['shortcut two']).toEqual(expect.arrayContaining(['ack', 'body', 'client', 'respond', 'shortcut']));
    expect(bot.seen['form one']).toEqual(expect.arrayContaining(['ack', 'body', 'client', 'view']));
    expect(bot.seen.home).toEqual(expect.arrayContaining(['body', 'client', 'event']));
  });

  it('does not ack an id no handler knows, so the dispatcher says it is no longer in use', async () => {
    const bot = botWith(routed);
    expect(await bot.send(command('/nope'))).toEqual({
      status: 200,
      body: { response_type: 'ephemeral', text: '`/nope` is not one of my commands. Try `/coe help`.' },
    });
    expect(await bot.send(form('form.old'))).toMatchObject({
      body: { response_action: 'update', view: { blocks: [{ text: { text: STALE_FORM } }] } },
    });
    expect(await bot.send(press('button.old'))).toEqual({ status: 200 });
    expect(await bot.send(shortcut('shortcut.old'))).toEqual({ status: 200 });
    expect(bot.ephemerals.map((e) => e.text)).toEqual([STALE_BUTTON, STALE_SHORTCUT]);
    expect(bot.ran).toEqual([]);
  });

  it("keeps Bolt's type filters: a closed form, a global shortcut of a message shortcut's id", async () => {
    const bot = botWith(routed);
    expect(await bot.send(form('form.one', 'view_closed'))).toEqual({ status: 200 });
    expect(await bot.send(shortcut('shortcut.one', 'shortcut'))).toEqual({ status: 200 });
    expect(bot.ran).toEqual([]);
    expect(bot.ephemerals.map((e) => e.text)).toEqual([]); // a global shortcut has no channel to say it in
  });

  it("hands a handler's error to app.error, so the person is told sorry", async () => {
    const bot = botWith(routed);
    expect(await bot.send(command('/boom'))).toMatchObject({ body: { text: expect.stringMatching(/^Sorry/) } });
    expect(bot.errors).toEqual(['failing command failed']);
  });

  it('answers every request as the same handlers did as Bolt listeners of their own', async () => {
    const before = botWith(direct);
    const after = botWith(routed);
    for (const [what, body] of REQUESTS) {
      const [was, is] = [await before.send(body), await after.send(body)];
      expect(is, what).toEqual(was);
    }
    expect(after.ran).toEqual(before.ran);
    expect(after.seen).toEqual(before.seen);
    expect(after.ephemerals).toEqual(before.ephemerals);
    expect(after.errors).toEqual(before.errors);
    expect(after.ran.length).toBeGreaterThan(5);
    expect(after.ephemerals.length).toBe(2);
  });

  it('refuses a second handler for one id at start-up, on every surface', () => {
    const routes = new SlackRoutes(botWith(() => {}).app);
    const noop = async () => {};
    routes.command('/coe', noop);
    routes.view('form.one', noop);
    routes.action('button.one', noop);
    routes.shortcut({ callback_id: 'shortcut.one', type: 'message_action' }, noop);
    routes.event('app_home_opened', noop);
    expect(() => routes.command('/coe', noop)).toThrow('two handlers for the command "/coe"');
    expect(() => routes.view('form.one', noop)).toThrow('two handlers for the view "form.one"');
    expect(() => routes.action('button.one', noop)).toThrow('two handlers for the action "button.one"');
    expect(() => routes.shortcut({ callback_id: 'shortcut.one', type: 'message_action' }, noop)).toThrow(
      'two handlers for the shortcut "message_action shortcut.one"',
    );
    expect(() => routes.event('app_home_opened', noop)).toThrow('two handlers for the event "app_home_opened"');
    // One callback id for a global and a message shortcut is two shortcuts, as Bolt's constraints had them.
    expect(() => routes.shortcut({ callback_id: 'shortcut.one', type: 'shortcut' }, noop)).not.toThrow();
  });
});
