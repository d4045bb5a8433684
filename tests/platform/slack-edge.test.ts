/**
 * The Slack edge against careless and hostile clients (issue 8): signed but malformed bodies, a clock 10 minutes off,
 * replays, buttons and forms the bot no longer knows. Each answer comes at once, is never a 5xx, and changes nothing.
 * The edge does not depend on the database kind, so this runs on PGlite only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/bot.ts';
import { type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { eventBody, interactionBody, postToSlackApp, slashCommandBody } from '../support/slack-request.ts';

const COE = 'UCOE1';
const WORKER = 'UWORK1';

describe('the Slack edge', () => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let bot: TestBot;
  const failures: unknown[] = [];
  const onFailure = (error: unknown) => failures.push(error);

  beforeAll(async () => {
    db = await testDatabase('pglite');
    await db.reset();
    slack = await FakeSlackApi.start();
    bot = await startTestBot({ database: db, slack, env: { COE_MEMBERS: `slack:${COE}` } });
    process.on('unhandledRejection', onFailure);
    process.on('uncaughtException', onFailure);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onFailure);
    process.off('uncaughtException', onFailure);
    await bot?.stop();
    await slack?.close();
  });
  beforeEach(() => slack.reset());

  const post = (body: string, options?: Parameters<typeof postToSlackApp>[3]) =>
    postToSlackApp(`${bot.url}/slack/events`, SIGNING_SECRET, body, options);
  const friction = (extra: Record<string, string> = {}) =>
    slashCommandBody({ command: '/friction', text: 'scanner', user_id: WORKER, channel_id: 'C0GEN', ...extra });
  /** Whether the bot still takes a command after what a test sent. */
  const stillAnswers = async () => {
    const res = await post(slashCommandBody({ command: '/coe', text: 'help', user_id: WORKER, channel_id: 'C0GEN' }));
    return res.status === 200 && res.text.includes('/coe');
  };
  const rowCounts = async () => ({
    reports: await db.prisma.frictionReport.count(),
    outbox: await db.prisma.outboxMessage.count(),
    people: await db.prisma.person.count(),
  });

  it.each([
    ['payload=null', 'payload=null', undefined],
    ['a JSON body null', 'null', 'application/json'],
    ['a JSON array', '[1,2]', 'application/json'],
    ['payload that is not JSON', 'payload=%7Bnope', undefined],
    [
      'a view submission without its view',
      interactionBody({ type: 'view_submission', user: { id: WORKER } }),
      undefined,
    ],
    ['actions null', interactionBody({ type: 'block_actions', user: { id: WORKER }, actions: null }), undefined],
    ['actions junk', interactionBody({ type: 'block_actions', user: { id: WORKER }, actions: [7, 'x'] }), undefined],
    ['a shortcut without a user', interactionBody({ type: 'shortcut', callback_id: 'x', trigger_id: 't' }), undefined],
    [
      'a channel null',
      interactionBody({ type: 'block_actions', user: { id: WORKER }, channel: null, actions: [] }),
      undefined,
    ],
    ['a command without a user', 'command=%2Ffriction&channel_id=C1&trigger_id=t', undefined],
  ])('answers %s, signed, with 400 at once; the process lives on', async (_name, body, contentType) => {
    const before = await rowCounts();
    const started = Date.now();
    const res = await post(body, contentType ? { contentType } : {});
    expect(res.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.json<{ error: string }>().error).toMatch(/^malformed request: /);
    expect(await stillAnswers()).toBe(true);
    expect(await rowCounts()).toEqual(before);
    expect(failures).toEqual([]);
  });

  it.each([
    ['a legacy interactive message', interactionBody({ type: 'interactive_message', user: { id: WORKER } })],
    ['a dialog submission', interactionBody({ type: 'dialog_submission', user: { id: WORKER } })],
    ['an event of a kind not subscribed', eventBody({ type: 'reaction_added', user: WORKER })],
    ['event: null', JSON.stringify({ type: 'event_callback', event: null, event_id: 'Ev1' })],
    ['ssl_check', 'ssl_check=1&token=x'],
  ])('acknowledges %s with a plain 200 and does nothing', async (_name, body) => {
    const before = await rowCounts();
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await bot.deliverer.flush(Date.now() + 200);
    expect(slack.calls()).toEqual([]);
    expect(await rowCounts()).toEqual(before);
    expect(failures).toEqual([]);
  });

  it.each([
    ['10 minutes ahead', 10 * 60],
    ['6 minutes behind', -6 * 60],
  ])('refuses a request dated %s with 401', async (_name, offset) => {
    const res = await post(friction(), { timestamp: Math.floor(Date.now() / 1000) + offset });
    expect(res.status).toBe(401);
    expect(slack.calls('views.open')).toEqual([]);
  });

  it('takes a replayed /friction once: the second copy is acked and does nothing', async () => {
    const body = friction({ trigger_id: 'trigger-replayed' });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await post(body, { timestamp });
    const again = await post(body, { timestamp });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.text).toBe('');
    // The form opens after the ack: wait for it, then make sure no second one follows.
    await slack.waitForCalls('views.open', 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.calls('views.open')).toHaveLength(1);
    expect(slack.calls('chat.postEphemeral')).toEqual([]);
  });

  it('answers a replayed command once: the copy gets an empty ack, not a second reply', async () => {
    const body = slashCommandBody({
      command: '/coe',
      text: 'role <@UBOB|bob> manager',
      user_id: COE,
      channel_id: 'C0',
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await post(body, { timestamp });
    const again = await post(body, { timestamp });
    expect(first.json<{ text: string }>().text).toMatch(/bob is now a manager/);
    expect(again.status).toBe(200);
    expect(again.text).toBe('');
  });

  it('handles an event Slack delivers twice (same event id) once', async () => {
    const event = { type: 'app_home_opened', user: WORKER, channel: 'D0HOME', tab: 'home' };
    await post(eventBody(event, { event_id: 'EvTWICE' }));
    await post(eventBody(event, { event_id: 'EvTWICE' }), { retryNum: 1 });
    await slack.waitForCalls('views.publish', 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.calls('views.publish')).toHaveLength(1);
  });

  it('answers a button it no longer knows at once, and says so privately in its channel', async () => {
    const started = Date.now();
    const res = await post(
      interactionBody({
        type: 'block_actions',
        user: { id: WORKER },
        channel: { id: 'C0GEN' },
        trigger_id: 'trigger-old-button',
        container: { type: 'message', message_ts: '1.1', channel_id: 'C0GEN' },
        actions: [{ action_id: 'friction.removed_in_v0', value: 'FR-1', type: 'button' }],
      }),
    );
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const [said] = await slack.waitForCalls('chat.postEphemeral', 1);
    expect(said?.args).toMatchObject({ channel: 'C0GEN', user: WORKER });
    expect(String(said?.args.text)).toMatch(/no longer in use/);
  });

  it('answers a form it no longer knows at once with a notice in the modal', async () => {
    const before = await rowCounts();
    const started = Date.now();
    const res = await post(
      interactionBody({
        type: 'view_submission',
        user: { id: WORKER },
        view: { id: 'VOLD', callback_id: 'form_of_an_old_version', state: { values: { b: { a: { type: 'x' } } } } },
      }),
    );
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const answer = res.json<{ response_action: string; view: { blocks: unknown[] } }>();
    expect(answer.response_action).toBe('update');
    expect(JSON.stringify(answer.view.blocks)).toMatch(/no longer in use/);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers a global shortcut it does not know at once with a plain ack', async () => {
    const started = Date.now();
    const res = await post(
      interactionBody({ type: 'shortcut', callback_id: 'gone', trigger_id: 'trigger-gone', user: { id: WORKER } }),
    );
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
