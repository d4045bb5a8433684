/**
 * The Slack dispatcher's one answer per request, against stand-ins for Bolt's `processEvent`: the listener's ack, a
 * notice when no listener took the request, a "sorry" when one failed, and an answer before Slack's 3 s when one is
 * slow. The platform tests drive the same paths through the real Bolt app; these cover what they cannot provoke.
 */
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { SeenRecently, SlackDispatcher } from '../../src/platforms/slack/dispatcher.ts';
import type { SlackEnvelope } from '../../src/platforms/slack/envelope.ts';

const log = { info: () => {}, warn: () => {}, error: () => {} };
const meta = { requestId: 'r1' };

type ProcessEvent = (event: { body: object; ack: (response?: unknown) => Promise<void> }) => Promise<void>;

function dispatcherWith(processEvent: ProcessEvent, deadlineMs = 2500) {
  const ephemerals: object[] = [];
  const app = {
    processEvent,
    client: { chat: { postEphemeral: async (args: object) => ephemerals.push(args) } },
  } as unknown as App;
  const dispatcher = new SlackDispatcher(log, deadlineMs);
  dispatcher.attach(app);
  return { dispatcher, ephemerals };
}

const form: SlackEnvelope = { kind: 'view', body: { type: 'view_submission' }, submitted: true, blockIds: ['title'] };
const command: SlackEnvelope = { kind: 'command', body: {}, command: '/coe', channel: 'C1', user: 'U1' };
const button: SlackEnvelope = { kind: 'action', body: {}, user: 'U1', channel: 'C1' };

describe('SlackDispatcher', () => {
  it('answers with what the listener acked', async () => {
    const { dispatcher } = dispatcherWith(async ({ ack }) => ack({ response_action: 'clear' }));
    expect(await dispatcher.dispatch(form, meta)).toEqual({ status: 200, body: { response_action: 'clear' } });
  });

  it('keeps a form open with what was typed when its listener failed before acking', async () => {
    const { dispatcher } = dispatcherWith(async ({ body }) => dispatcher.listenerFailed(body));
    const answer = await dispatcher.dispatch(form, meta);
    expect(answer.body).toMatchObject({
      response_action: 'errors',
      errors: { title: expect.stringMatching(/not saved/) },
    });
  });

  it('says sorry for a command whose listener threw', async () => {
    const { dispatcher } = dispatcherWith(async () => {
      throw new Error('boom');
    });
    expect(await dispatcher.dispatch(command, meta)).toMatchObject({ body: { text: expect.stringMatching(/Sorry/) } });
  });

  it('answers a button nobody handles at once and says so privately', async () => {
    const { dispatcher, ephemerals } = dispatcherWith(async () => {});
    expect(await dispatcher.dispatch(button, meta)).toEqual({ status: 200 });
    expect(ephemerals).toEqual([{ channel: 'C1', user: 'U1', text: expect.stringMatching(/no longer in use/) }]);
  });

  it('answers before the deadline for a slow listener: a form stays open and asks to be sent again', async () => {
    let late: ((response?: unknown) => Promise<void>) | undefined;
    const { dispatcher } = dispatcherWith(async ({ ack }) => {
      late = ack;
      await new Promise(() => {});
    }, 30);
    const started = Date.now();
    const answer = await dispatcher.dispatch(form, meta);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(answer.body).toMatchObject({ response_action: 'errors', errors: { title: expect.stringMatching(/again/) } });
    await expect(late?.({ response_action: 'clear' })).resolves.toBeUndefined(); // a late ack is dropped quietly
  });

  it('takes an event id once', async () => {
    let calls = 0;
    const { dispatcher } = dispatcherWith(async ({ ack }) => {
      calls += 1;
      await ack();
    });
    const event: SlackEnvelope = { kind: 'event', body: {}, eventId: 'Ev1' };
    await dispatcher.dispatch(event, meta);
    await dispatcher.dispatch({ ...event, body: {} }, meta);
    expect(calls).toBe(1);
  });
});

describe('SeenRecently', () => {
  it('knows a key within its window, forgets it after, and keeps at most its maximum', () => {
    let now = 0;
    const seen = new SeenRecently(100, 3, () => now);
    expect([seen.first('a'), seen.first('a')]).toEqual([true, false]);
    now = 101;
    expect(seen.first('a')).toBe(true);
    for (const key of ['b', 'c', 'd']) seen.first(key);
    expect(seen.first('a')).toBe(true); // pushed out by b, c, d
  });
});
