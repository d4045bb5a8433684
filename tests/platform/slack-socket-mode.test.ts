/**
 * Socket Mode driven by a test (issue 8): the real bot with an app token, connected through the real
 * `@slack/socket-mode` client to a fake Socket Mode server (apps.connections.open on the fake Web API, then a
 * WebSocket), on PGlite. A /friction and its form go through envelopes and acks; the connection is recycled politely
 * and cut mid-traffic, and what Slack sends again after the reconnect is acked and handled once; malformed envelopes
 * are acked and change nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FRICTION_FORM_BLOCKS } from '../../src/platforms/slack/ids.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { FakeSocketMode } from '../support/fake-socket-mode.ts';
import { viewSubmissionPayload } from '../support/slack-interactions.ts';

type Json = Record<string, unknown>;

const WORKER = { id: 'UWORK1', name: 'wendy' };

const SCANNER = {
  [FRICTION_FORM_BLOCKS.kind]: 'tool_friction',
  [FRICTION_FORM_BLOCKS.title]: 'Inventory scanners fail after 30 minutes',
  [FRICTION_FORM_BLOCKS.description]: 'The handheld scanners freeze after about half an hour; counts get lost.',
  [FRICTION_FORM_BLOCKS.tool]: 'Inventory scanner',
  [FRICTION_FORM_BLOCKS.frequency]: 'daily',
  [FRICTION_FORM_BLOCKS.impact]: 'high',
};

describe('Slack over Socket Mode (pglite)', () => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let socket: FakeSocketMode;
  let bot: TestBot;

  beforeAll(async () => {
    db = await testDatabase('pglite');
    await db.reset();
    slack = await FakeSlackApi.start();
    socket = await FakeSocketMode.start(slack);
    // Socket Mode needs no signing secret: nothing comes over HTTP.
    bot = await startTestBot({
      database: db,
      slack,
      env: { SLACK_APP_TOKEN: 'xapp-test', SLACK_SIGNING_SECRET: '' },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await socket?.close();
    await slack?.close();
  });
  beforeEach(async () => {
    await db.reset();
    bot.forgetCached();
    slack.reset();
  });

  const reports = () => db.prisma.frictionReport.count();
  const logged = (msg: string) => bot.logs.filter((l) => l.msg === msg).length;

  /** `/friction` through the socket → its envelope, the view the app opened on its trigger, and the ack. */
  const friction = async () => {
    const before = slack.calls('views.open').length;
    const envelope = socket.slashCommand({ command: '/friction', user_id: WORKER.id, user_name: WORKER.name });
    const ack = await socket.waitForAck(envelope.envelope_id);
    const [open] = (await slack.waitForCalls('views.open', before + 1)).slice(before);
    expect(open?.args.trigger_id).toBe((envelope.payload as Json).trigger_id);
    return { envelope, ack, view: open?.args.view as Json };
  };

  const submission = (view: Json, viewId: string) =>
    viewSubmissionPayload({ user: WORKER, view, viewId, values: SCANNER });

  it('opens the friction form once per /friction and stores the submitted form, each envelope acked', async () => {
    // Only the app-level token opened the connection, and there is no HTTP endpoint for Slack.
    expect(socket.connections).toBe(1);
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);

    const { ack, view } = await friction();
    expect(ack.payload).toEqual({});
    expect(view.callback_id).toBe('friction_form');

    const submitted = socket.interactive(submission(view, 'VSOCK1'));
    const confirmed = await socket.waitForAck(submitted.envelope_id);
    expect((confirmed.payload as Json).response_action).toBe('update');
    expect(await reports()).toBe(1);
    expect(slack.calls('views.open')).toHaveLength(1);
    expect(socket.connections).toBe(1);
  });

  it('reconnects after a disconnect message and after a cut connection; what Slack sends again is handled once', async () => {
    const connections = socket.connections;
    const opens = slack.calls('apps.connections.open').length;
    const repeats = logged('slack: an envelope answered already came again; nothing done');

    // Slack recycles the connection; a /friction typed meanwhile waits for the new one.
    socket.disconnect();
    const typed = socket.slashCommand({ command: '/friction', user_id: WORKER.id });
    await socket.waitForConnections(connections + 1, 10_000);
    const ack = await socket.waitForAck(typed.envelope_id);
    expect(ack.connection).toBe(connections + 1);
    const [open] = await slack.waitForCalls('views.open', 1);
    expect(open?.args.trigger_id).toBe((typed.payload as Json).trigger_id);

    // The connection breaks with the submission's ack on the wire: handled, but Slack never got the ack.
    const submitted = socket.interactive(submission(open?.args.view as Json, 'VSOCK2'), { dropOnAck: true });
    await slack.waitFor(() => socket.lostAcks(submitted.envelope_id).length === 1);
    expect(await reports()).toBe(1);
    await socket.waitForConnections(connections + 2, 10_000);
    expect(slack.calls('apps.connections.open')).toHaveLength(opens + 2);

    // After the reconnect Slack sends both again, under their envelope ids: acked, and nothing happens twice.
    const again = socket.redeliver(submitted.envelope_id);
    expect(again.retry_attempt).toBe(1);
    socket.redeliver(typed.envelope_id);
    expect((await socket.waitForAck(submitted.envelope_id)).connection).toBe(connections + 2);
    expect((await socket.waitForAck(typed.envelope_id, 2)).connection).toBe(connections + 2);
    await sleep(200);
    expect(await reports()).toBe(1);
    expect(slack.calls('views.open')).toHaveLength(1);
    expect(logged('slack: an envelope answered already came again; nothing done')).toBe(repeats + 2);

    // And the new connection carries new traffic.
    await friction();
    expect(slack.calls('views.open')).toHaveLength(2);
  }, 25_000);

  it('acks malformed envelopes without doing anything, and keeps working after them', async () => {
    const connections = socket.connections;
    const refused = logged('slack: refused a malformed envelope');
    const malformed = [
      socket.interactive(null),
      socket.slashCommand({ command: '/friction', user_id: undefined }),
      socket.interactive({ ...submission({ blocks: [], callback_id: 'friction_form' }, 'VBAD'), user: undefined }),
      socket.interactive({ type: 'block_actions', user: { id: WORKER.id }, actions: null }),
      socket.event(null),
      socket.event({ type: 'event_callback', event: null }),
      socket.send({ type: 'slash_commands', payload: 'junk' }),
    ];
    // Not even an envelope: nothing to ack, and nothing may break.
    socket.sendRaw('null');
    socket.sendRaw('{"type":');
    for (const envelope of malformed) {
      expect((await socket.waitForAck(envelope.envelope_id)).payload).toEqual({});
    }
    expect(await reports()).toBe(0);
    expect(slack.calls().filter((c) => c.method !== 'apps.connections.open')).toEqual([]);
    // All but the event without its event, which is of a kind the bot does not use (acked and dropped).
    expect(logged('slack: refused a malformed envelope') - refused).toBe(malformed.length - 1);

    const { view } = await friction();
    const submitted = socket.interactive(submission(view, 'VSOCK3'));
    await socket.waitForAck(submitted.envelope_id);
    expect(await reports()).toBe(1);
    expect(socket.connections).toBe(connections);
  });
});
