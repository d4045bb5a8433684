/**
 * Tests of the test-support kit itself, against the real clients the app uses: @slack/web-api's WebClient, Bolt's
 * request verification, and botbuilder's CloudAdapter.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { LogLevel, type WebAPICallError, WebClient } from '@slack/web-api';
import {
  type Activity,
  type Request as BotRequest,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeBotConnector } from './fake-bot-connector.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { eventBody, interactionBody, postToSlackApp, signSlackRequest, slashCommandBody } from './slack-request.js';
import {
  postActivity,
  TEAMS_BOT_ID,
  TEAMS_CHANNEL_ID,
  teamsConversationUpdate,
  teamsInvoke,
  teamsMessage,
} from './teams-activity.js';
import { closeServer } from './test-server.js';

const TOKEN = 'xoxb-test-token';
const SIGNING_SECRET = 'test-signing-secret';

/** The part of botframework-connector's ConnectorClient used here. */
interface SendsToConversation {
  conversations: { sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id: string }> };
}

/** web-api rejects with errors carrying a `code`; this narrows what `rejects` hands back. */
async function rejection(promise: Promise<unknown>): Promise<WebAPICallError & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as WebAPICallError & Record<string, unknown>;
  }
  throw new Error('expected the call to reject');
}

describe('FakeSlackApi with the real WebClient', () => {
  let fake: FakeSlackApi;
  let client: WebClient;

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    client = new WebClient(TOKEN, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  it('answers auth.test like Slack and records the bearer token', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'coe' });
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(fake.calls()).toEqual([
      expect.objectContaining({ method: 'auth.test', token: TOKEN, faulted: false, at: expect.any(Number) }),
    ]);
  });

  it('posts, updates and lists messages, with metadata only when asked for', async () => {
    const metadata = { event_type: 'coe_send', event_payload: { send_id: 's-1' } };
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }];
    const first = await client.chat.postMessage({ channel: 'C1', text: 'hello', blocks, metadata });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'second' });

    expect(first).toMatchObject({ ok: true, channel: 'C1', message: { text: 'hello', blocks, metadata } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    // Form-encoded JSON fields arrive parsed.
    expect(fake.calls('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C1', blocks, metadata });

    const updated = await client.chat.update({ channel: 'C1', ts: first.ts ?? '', text: 'hello, edited' });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts: first.ts, text: 'hello, edited' });

    const plain = await client.conversations.history({ channel: 'C1' });
    expect(plain.messages?.map((m) => m.text)).toEqual(['second', 'hello, edited']);
    expect(plain.messages?.some((m) => 'metadata' in m)).toBe(false);

    const withMetadata = await client.conversations.history({ channel: 'C1', include_all_metadata: true, limit: 10 });
    expect(withMetadata.messages?.[1]).toMatchObject({ ts: first.ts, metadata });

    expect(fake.messages('C1').map((m) => m.text)).toEqual(['hello, edited', 'second']);
  });

  it('filters and pages history by oldest, latest and cursor', async () => {
    const posted: string[] = [];
    for (const text of ['a', 'b', 'c', 'd']) {
      const result = await client.chat.postMessage({ channel: 'C2', text });
      posted.push(result.ts ?? '');
    }
    const afterA = await client.conversations.history({ channel: 'C2', oldest: posted[0] });
    expect(afterA.messages?.map((m) => m.text)).toEqual(['d', 'c', 'b']);

    const page1 = await client.conversations.history({ channel: 'C2', limit: 3 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['d', 'c', 'b']);
    expect(page1.has_more).toBe(true);
    const page2 = await client.conversations.history({
      channel: 'C2',
      limit: 3,
      cursor: page1.response_metadata?.next_cursor ?? '',
    });
    expect(page2.messages?.map((m) => m.text)).toEqual(['a']);
    expect(page2.has_more).toBe(false);
  });

  it('keeps thread replies out of history and in replies', async () => {
    const parent = await client.chat.postMessage({ channel: 'C3', text: 'parent' });
    await client.chat.postMessage({ channel: 'C3', text: 'reply', thread_ts: parent.ts ?? '' });
    const history = await client.conversations.history({ channel: 'C3' });
    expect(history.messages?.map((m) => m.text)).toEqual(['parent']);
    const replies = await client.conversations.replies({ channel: 'C3', ts: parent.ts ?? '' });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);
  });

  it('answers the other methods the bot uses', async () => {
    expect(await client.conversations.open({ users: 'U42' })).toMatchObject({ channel: { id: 'DU42' } });
    expect(await client.users.info({ user: 'U42' })).toMatchObject({
      user: {
        id: 'U42',
        name: expect.any(String),
        real_name: expect.any(String),
        profile: { display_name: expect.any(String) },
      },
    });
    fake.setUser({ id: 'U7', name: 'grace', real_name: 'Grace Hopper', display_name: 'grace' });
    expect(await client.users.info({ user: 'U7' })).toMatchObject({ user: { real_name: 'Grace Hopper' } });
    expect(await client.conversations.join({ channel: 'C9' })).toMatchObject({
      channel: { id: 'C9', is_member: true },
    });
    expect(await client.conversations.info({ channel: 'C9' })).toMatchObject({
      channel: { id: 'C9', is_member: true },
    });
    expect(await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' })).toMatchObject({
      message_ts: expect.any(String),
    });

    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Idea' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: 'trigger-1', view });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), type: 'modal', title: view.title });
    const updated = await client.views.update({ view_id: opened.view?.id ?? '', view });
    expect(updated.view?.id).toBe(opened.view?.id);
    const home = { type: 'home' as const, blocks: [] };
    const published = await client.views.publish({ user_id: 'U1', view: home });
    const republished = await client.views.publish({ user_id: 'U1', view: home });
    expect(republished.view?.id).toBe(published.view?.id);

    const posted = await client.chat.postMessage({ channel: 'C1', text: 'bye' });
    await client.chat.delete({ channel: 'C1', ts: posted.ts ?? '' });
    expect(fake.messages('C1')).toEqual([]);
  });

  it('answers errors like Slack for unknown methods, missing arguments and missing tokens', async () => {
    const unknown = await rejection(client.apiCall('nope.nothing'));
    expect(unknown.code).toBe('slack_webapi_platform_error');
    expect(unknown.data).toMatchObject({ ok: false, error: 'unknown_method' });

    const noChannel = await rejection(client.apiCall('chat.postMessage', { text: 'where?' }));
    expect(noChannel.data).toMatchObject({ error: 'channel_not_found' });

    const anonymous = new WebClient(undefined, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    expect((await rejection(anonymous.auth.test())).data).toMatchObject({ error: 'not_authed' });
  });

  it('accepts JSON bodies too', async () => {
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: 'C4', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C4' });
    expect(fake.messages('C4')[0]).toMatchObject({ text: 'json', blocks: [{ type: 'divider' }] });
  });

  it('injects a 429 with Retry-After that web-api surfaces as retryAfter, then recovers', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const error = await rejection(client.chat.postMessage({ channel: 'C1', text: 'too fast' }));
    expect(error.code).toBe('slack_webapi_rate_limited_error');
    expect(error.retryAfter).toBe(1);
    expect(fake.calls('chat.postMessage')).toEqual([expect.objectContaining({ faulted: true })]);
    expect(fake.messages('C1')).toEqual([]);

    await client.chat.postMessage({ channel: 'C1', text: 'later' });
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['later']);
  });

  it('injects 500s and Slack errors for a number of calls, on one method or all', async () => {
    fake.failNext('*', { status: 500 }, 2);
    const first = await rejection(client.auth.test());
    expect(first.code).toBe('slack_webapi_http_error');
    expect(first.statusCode).toBe(500);
    await rejection(client.chat.postMessage({ channel: 'C1', text: 'x' }));
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });

    fake.failNext('chat.update', { status: 200, error: 'cant_update_message' });
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    const updateError = await rejection(client.chat.update({ channel: 'C1', ts: '1.000100', text: 'x' }));
    expect(updateError.data).toMatchObject({ ok: false, error: 'cant_update_message' });
    expect(fake.calls().map((c) => c.faulted)).toEqual([true, true, false, false, true]);
  });

  it('applies a fault policy to every call no queued fault claimed', async () => {
    let seen = 0;
    fake.setFaultPolicy((call) =>
      call.method === 'chat.postMessage' && ++seen % 2 === 1 ? { status: 500 } : undefined,
    );
    await rejection(client.chat.postMessage({ channel: 'C1', text: '1' }));
    await client.chat.postMessage({ channel: 'C1', text: '2' });
    await rejection(client.chat.postMessage({ channel: 'C1', text: '3' }));
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['2']);
  });

  it('delays answers but not the write, leaving an in-doubt send behind a client timeout', async () => {
    fake.setLatency(300);
    const impatient = new WebClient(TOKEN, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      timeout: 50,
      logLevel: LogLevel.ERROR,
    });
    const error = await rejection(
      impatient.chat.postMessage({
        channel: 'C5',
        text: 'in doubt',
        metadata: { event_type: 'coe_send', event_payload: { send_id: 's-9' } },
      }),
    );
    expect(error.code).toBe('slack_webapi_request_error');
    fake.setLatency(0);
    const history = await client.conversations.history({ channel: 'C5', include_all_metadata: true });
    expect(history.messages?.[0]?.metadata).toEqual({ event_type: 'coe_send', event_payload: { send_id: 's-9' } });
  });

  it('waits for calls, and says what it saw when it gives up', async () => {
    setTimeout(() => void client.chat.postMessage({ channel: 'C1', text: 'later' }), 20);
    const calls = await fake.waitForCalls('chat.postMessage', 1, 1000);
    expect(calls).toHaveLength(1);
    await expect(fake.waitForCalls('chat.update', 1, 50)).rejects.toThrow(
      /timed out after 50 ms.*chat\.update.*chat\.postMessage/,
    );
  });
});

describe('Slack request builders', () => {
  it('signs requests the way Bolt verifies them', () => {
    const body = slashCommandBody({ command: '/coe', text: 'help' });
    const headers = signSlackRequest(SIGNING_SECRET, body);
    const verification = {
      body,
      headers: {
        'x-slack-signature': headers['x-slack-signature'],
        'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
      },
    };
    expect(() => verifySlackRequest({ signingSecret: SIGNING_SECRET, ...verification })).not.toThrow();
    expect(isValidSlackRequest({ signingSecret: 'wrong-secret', ...verification })).toBe(false);

    const stale = signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 10 * 60);
    expect(
      isValidSlackRequest({
        signingSecret: SIGNING_SECRET,
        body,
        headers: { ...stale, 'x-slack-request-timestamp': Number(stale['x-slack-request-timestamp']) },
      }),
    ).toBe(false);
  });

  it('builds slash command, interaction and event bodies', () => {
    const command = new URLSearchParams(slashCommandBody({ command: '/coe', text: 'submit idea', user_id: 'U9' }));
    expect(Object.fromEntries(command)).toMatchObject({
      command: '/coe',
      text: 'submit idea',
      user_id: 'U9',
      team_id: 'T1',
    });
    expect(command.get('trigger_id')).not.toBe(
      new URLSearchParams(slashCommandBody({ command: '/coe' })).get('trigger_id'),
    );

    const payload = { type: 'block_actions', actions: [{ action_id: 'vote', value: 'a&b=c' }] };
    expect(JSON.parse(new URLSearchParams(interactionBody(payload)).get('payload') ?? '')).toEqual(payload);

    const envelope = JSON.parse(eventBody({ type: 'app_mention', text: 'hi' }, { event_id: 'Ev1' }));
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'Ev1',
      event_time: expect.any(Number),
      event: { type: 'app_mention', text: 'hi' },
    });
  });

  describe('postToSlackApp', () => {
    let server: Server;
    let url: string;
    const seen: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        req.on('end', () => {
          seen.push({ headers: req.headers, body });
          const valid = isValidSlackRequest({
            signingSecret: SIGNING_SECRET,
            body,
            headers: {
              'x-slack-signature': String(req.headers['x-slack-signature']),
              'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
            },
          });
          res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ valid }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    });
    afterAll(async () => {
      await closeServer(server);
    });

    it('posts signed bodies, or tampered and unsigned ones when asked', async () => {
      const body = eventBody({ type: 'app_mention', text: 'hi' });
      const ok = await postToSlackApp(url, SIGNING_SECRET, body, { contentType: 'application/json', retryNum: 1 });
      expect(ok.status).toBe(200);
      expect(ok.json()).toEqual({ valid: true });
      expect(seen.at(-1)?.headers).toMatchObject({ 'content-type': 'application/json', 'x-slack-retry-num': '1' });

      const tampered = await postToSlackApp(url, SIGNING_SECRET, body, { signature: 'v0=deadbeef' });
      expect(tampered.status).toBe(401);

      const unsigned = await postToSlackApp(url, SIGNING_SECRET, slashCommandBody({ command: '/coe' }), {
        signature: null,
      });
      expect(unsigned.status).toBe(401);
      expect(seen.at(-1)?.headers).not.toHaveProperty('x-slack-signature');
      expect(seen.at(-1)?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    });
  });
});

describe('Teams activity builders', () => {
  const serviceUrl = 'http://127.0.0.1:1/';

  it('builds personal messages without a mention, in a conversation that is stable per user', () => {
    const first = teamsMessage({ text: 'help', serviceUrl });
    const second = teamsMessage({ text: 'again', serviceUrl });
    expect(first).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      text: 'help',
      recipient: { id: TEAMS_BOT_ID },
      conversation: { conversationType: 'personal', tenantId: expect.any(String) },
      channelData: { tenant: { id: first.conversation.tenantId } },
    });
    expect(first.entities.some((e) => e.type === 'mention')).toBe(false);
    expect(second.conversation.id).toBe(first.conversation.id);
    expect(Number(second.id)).toBeGreaterThan(Number(first.id));
  });

  it('builds invokes and installation updates', () => {
    const invoke = teamsInvoke({ name: 'adaptiveCard/action', value: { action: { verb: 'vote' } }, serviceUrl });
    expect(invoke).toMatchObject({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { verb: 'vote' } } });
    const installed = teamsConversationUpdate({ serviceUrl, conversation: { conversationType: 'channel' } });
    expect(installed).toMatchObject({
      type: 'conversationUpdate',
      membersAdded: [{ id: TEAMS_BOT_ID }],
      channelData: { eventType: 'teamMemberAdded', team: { id: expect.any(String) } },
    });
  });
});

describe('FakeBotConnector with the real CloudAdapter (auth off)', () => {
  let connector: FakeBotConnector;
  let adapter: CloudAdapter;
  let bot: Server;
  let botUrl: string;

  /** Hosts the adapter on node:http with the few express-like methods CloudAdapter.process needs. */
  function hostBot(logic: (context: TurnContext) => Promise<void>): Server {
    return createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      req.on('end', () => {
        const request: BotRequest = {
          body: JSON.parse(text) as Record<string, unknown>,
          headers: req.headers,
          method: req.method,
        };
        const response = {
          socket: req.socket,
          status: (code: number) => {
            res.statusCode = code;
          },
          header: (name: string, value: unknown) => {
            res.setHeader(name, String(value));
          },
          send: (body: unknown) => {
            res.setHeader('content-type', 'application/json');
            res.write(typeof body === 'string' ? body : JSON.stringify(body));
          },
          end: () => {
            res.end();
          },
        };
        void adapter.process(request, response, logic);
      });
    });
  }

  function reference(conversationId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      bot: { id: TEAMS_BOT_ID, name: 'CoE' },
      user: { id: '29:user-ada', name: 'Ada' },
    };
  }

  beforeAll(async () => {
    connector = await FakeBotConnector.start();
    adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    bot = hostBot(async (context) => {
      if (context.activity.type === 'message') {
        await context.sendActivity(`echo: ${context.activity.text}`);
      } else if (context.activity.type === 'invoke') {
        await context.sendActivity({
          type: 'invokeResponse',
          value: { status: 200, body: { task: { type: 'message', value: `got ${context.activity.name}` } } },
        });
      }
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeServer(bot);
    await connector.close();
  });
  beforeEach(() => {
    connector.reset();
  });

  it('records a proactive send to an http loopback serviceUrl with an empty app id', async () => {
    const conversationId = `${TEAMS_CHANNEL_ID};messageid=1700000000000`;
    let sentId: string | undefined;
    await adapter.continueConversationAsync('', reference(conversationId), async (context) => {
      sentId = (await context.sendActivity('hi'))?.id;
    });

    const [sent] = await connector.waitForActivities(1, conversationId);
    expect(sentId).toBe('activity-1');
    // continueConversationAsync gives its continuation activity a random id, and sendActivity replies to it.
    expect(sent).toMatchObject({
      method: 'POST',
      kind: 'reply',
      conversationId,
      body: { type: 'message', text: 'hi' },
    });
    expect(sent?.activityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent?.authorization).toBeUndefined();
    expect(connector.messages(conversationId)).toEqual([expect.objectContaining({ id: 'activity-1', text: 'hi' })]);
  });

  it('records sends, updates and deletes', async () => {
    await adapter.continueConversationAsync('', reference('a:1chat'), async (context) => {
      // The adapter's own ConnectorClient (botframework-connector is not a direct dependency, so typed by shape).
      const client = context.turnState.get<SendsToConversation>(adapter.ConnectorClientKey);
      const sent = await client.conversations.sendToConversation('a:1chat', { type: 'message', text: 'card v1' });
      await context.updateActivity({ id: sent.id, type: 'message', text: 'card v2' });
      const doomed = await context.sendActivity('doomed');
      await context.deleteActivity(doomed?.id ?? '');
    });
    expect(connector.requests().map((r) => [r.method, r.kind])).toEqual([
      ['POST', 'send'],
      ['PUT', 'update'],
      ['POST', 'reply'],
      ['DELETE', 'delete'],
    ]);
    expect(connector.messages('a:1chat').map((a) => a.text)).toEqual(['card v2']);
  });

  it('creates 1:1 conversations (the same one again for the same user) and answers member look-ups', async () => {
    const created: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      await adapter.createConversationAsync(
        '',
        'msteams',
        connector.serviceUrl,
        '',
        {
          isGroup: false,
          bot: { id: TEAMS_BOT_ID, name: 'CoE' },
          members: [{ id: '29:user-ada', name: 'Ada' }],
          tenantId: 't',
          activity: undefined as unknown as Activity,
          channelData: {},
        },
        async (context) => {
          created.push(context.activity.conversation.id);
        },
      );
    }
    expect(created).toEqual(['conv-1', 'conv-1']);

    connector.addMember({ id: '29:user-ada', name: 'Ada Lovelace', aadObjectId: 'aad-ada' });
    let member: { name?: string; aadObjectId?: string } | undefined;
    await adapter.continueConversationAsync('', reference('conv-1'), async (context) => {
      member = await TeamsInfo.getMember(context, 'aad-ada');
    });
    expect(member).toMatchObject({ name: 'Ada Lovelace', aadObjectId: 'aad-ada' });
  });

  it('injects faults; botbuilder retries them itself before the app sees one', async () => {
    // Retry-After: 0 keeps botbuilder's own retry immediate; its 5xx back-off starts at about a second.
    connector.failNext('send', { status: 429, retryAfter: 0 });
    await adapter.continueConversationAsync('', reference('a:1chat'), async (context) => {
      await context.sendActivity('retried');
    });
    expect(connector.requests().map((r) => r.faulted)).toEqual([true, false]);
    expect(connector.messages('a:1chat').map((a) => a.text)).toEqual(['retried']);

    connector.reset();
    connector.failNext('*', { status: 429, retryAfter: 0 }, 4);
    let error: unknown;
    await adapter.continueConversationAsync('', reference('a:1chat'), async (context) => {
      error = await context.sendActivity('given up').catch((e: unknown) => e);
    });
    expect(error).toMatchObject({ name: 'RestError', statusCode: 429 });
    expect(connector.requests()).toHaveLength(4);
    expect(connector.messages('a:1chat')).toEqual([]);
  });

  it('answers a 500 fault with a Bot Framework error body, then recovers', async () => {
    connector.failNext('send', { status: 500 });
    const url = `${connector.serviceUrl}v3/conversations/a%3A1chat/activities`;
    const post = () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' });
    const failed = await post();
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: { code: 'ServiceError', message: expect.any(String) } });
    expect((await post()).status).toBe(200);
    expect(connector.messages('a:1chat')).toHaveLength(1);
  });

  it('delivers built Teams activities to a bot, whose replies reach the fake', async () => {
    const message = teamsMessage({
      text: 'help',
      serviceUrl: connector.serviceUrl,
      conversation: { conversationType: 'channel' },
    });
    expect(message.text).toBe('<at>CoE</at> help');
    expect(message.channelData).toMatchObject({ team: { id: expect.any(String) }, channel: { id: TEAMS_CHANNEL_ID } });

    const posted = await postActivity(botUrl, message);
    expect(posted.status).toBe(200);
    const [reply] = await connector.waitForActivities(1);
    expect(reply).toMatchObject({ kind: 'reply', conversationId: message.conversation.id, activityId: message.id });
    expect(reply?.body).toMatchObject({ text: 'echo: <at>CoE</at> help', replyToId: message.id });

    const invoke = teamsInvoke({
      name: 'task/fetch',
      value: { data: { verb: 'submit' } },
      serviceUrl: connector.serviceUrl,
    });
    const answered = await postActivity(botUrl, invoke);
    expect(answered).toEqual({ status: 200, body: { task: { type: 'message', value: 'got task/fetch' } } });
  });
});
