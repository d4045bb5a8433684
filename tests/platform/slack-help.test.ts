/**
 * `/coe help` through the real Bolt app (signed HTTP in, a fake Slack Web API behind): what a worker and a CoE member
 * each see, within Block Kit's limits, and "More commands" replacing the short list with the whole one through the
 * help's response_url (the only way to change an ephemeral message).
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { messageButtonPayload } from '../support/slack-interactions.ts';
import { interactionBody, postToSlackApp, slashCommandBody } from '../support/slack-request.ts';
import { closeServer, listenOnLoopback, readBody, sendJson } from '../support/test-server.ts';
import { pollUntil } from '../support/wait.ts';

const COE = 'UCOE1';
const WORKER = 'UWORK1';
const CHANNEL = 'C0GENERAL';

/** What only CoE members may do, as Slack writes it. */
const COE_ONLY = [
  '/coe queue',
  '/coe release',
  '/coe sop new',
  '/coe training assign',
  '/coe audit plan',
  '/coe audit run',
  '/coe jobs',
  '/coe setup review-channel',
  '/coe role',
  '/coe team add',
  '/coe team channel',
  '/coe team member',
];

interface SlackReply {
  response_type?: string;
  replace_original?: boolean;
  text: string;
  blocks: Record<string, unknown>[];
}

/** Everything the person reads: the summary and each block's text. */
const readable = (reply: SlackReply) => JSON.stringify(reply);

describe.each(databaseKinds())('help in Slack (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let bot: TestBot;
  /** Stands in for Slack's response_url endpoint: what the bot posts there. */
  let responses: { server: Server; url: string; posted: { path: string; body: SlackReply }[] };

  beforeAll(async () => {
    db = await testDatabase(kind);
    await db.reset();
    slack = await FakeSlackApi.start();
    bot = await startTestBot({ database: db, slack, env: { COE_MEMBERS: `slack:${COE}` } });
    const posted: { path: string; body: SlackReply }[] = [];
    const { server, port } = await listenOnLoopback(async (req, res) => {
      posted.push({ path: req.url ?? '', body: JSON.parse(await readBody(req)) as SlackReply });
      sendJson(res, 200, { ok: true });
    });
    responses = { server, url: `http://127.0.0.1:${port}/response/`, posted };
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    if (responses) await closeServer(responses.server);
  });
  beforeEach(() => {
    slack.reset();
    responses.posted.length = 0;
  });

  const help = async (user: string, text = 'help'): Promise<SlackReply> => {
    const res = await postToSlackApp(
      `${bot.url}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({ command: '/coe', text, user_id: user, channel_id: CHANNEL, channel_name: 'general' }),
    );
    expect(res.status).toBe(200);
    return res.json<SlackReply>();
  };

  /** Presses "More commands" on an ephemeral help; what the bot posts to its response_url. */
  const more = async (user: string, shown: SlackReply): Promise<SlackReply> => {
    const payload = messageButtonPayload({
      user: { id: user },
      channel: CHANNEL,
      message: { ts: '1700000000.000100', text: shown.text, blocks: shown.blocks },
      actionId: 'help.more',
    });
    const path = randomUUID();
    const ephemeral = { ...payload, container: { ...(payload.container as object), is_ephemeral: true } };
    const res = await postToSlackApp(
      `${bot.url}/slack/events`,
      SIGNING_SECRET,
      interactionBody({ ...ephemeral, response_url: `${responses.url}${path}` }),
    );
    expect(res.status).toBe(200);
    await pollUntil(
      () => responses.posted.some((p) => p.path.endsWith(path)),
      5000,
      () => 'no answer on the response_url',
    );
    return responses.posted.find((p) => p.path.endsWith(path))?.body as SlackReply;
  };

  it("gives a worker a worker's three most used commands, within Block Kit's limits, and nothing CoE-only", async () => {
    const reply = await help(WORKER);
    expect(reply.response_type).toBe('ephemeral');
    expect(blockKitProblems(reply)).toEqual([]);
    expect(reply.text).toBe(
      'I help your Center of Excellence run its improvement loop. Most used: `/friction [what happened]`, `/coe my reports`, `/coe ai &lt;tool&gt;`.',
    );
    expect(readable(reply)).toContain('What you use most as a worker:');
    for (const command of [...COE_ONLY, '/change-request']) expect(readable(reply)).not.toContain(command);
    expect(reply.blocks.at(-2)).toMatchObject({
      type: 'actions',
      elements: [{ action_id: 'help.more', text: { text: 'More commands' } }],
    });
  });

  it('gives a CoE member the triage queue, a release and status first', async () => {
    const reply = await help(COE);
    expect(blockKitProblems(reply)).toEqual([]);
    expect(reply.text).toContain('Most used: `/coe queue`, `/coe release [sop key]`, `/coe status FR-12`.');
    expect(readable(reply)).toContain('What you use most as a CoE member:');
  });

  it("replaces a worker's help with everything they may do when they press More commands", async () => {
    const all = await more(WORKER, await help(WORKER));
    expect(all).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(blockKitProblems(all)).toEqual([]);
    const text = readable(all);
    expect(text).toContain('Everything you can do as a worker, most used first:');
    for (const command of [
      '/friction [what happened]',
      '/coe sop list',
      '/coe training status TR-3',
      '/coe team list',
    ]) {
      expect(text).toContain(`\`${command}\``);
    }
    for (const command of [...COE_ONLY, '/change-request', '/coe withdraw', '/coe constraint add']) {
      expect(text).not.toContain(command);
    }
    expect(text).not.toContain('help.more'); // nothing more behind it
  });

  it('shows a CoE member every CoE command behind More commands, still within the limits', async () => {
    const all = await more(COE, await help(COE));
    expect(blockKitProblems(all)).toEqual([]);
    const text = readable(all);
    for (const command of [...COE_ONLY, '/change-request [what changes]', '/coe withdraw CR-7']) {
      expect(text).toContain(command);
    }
    expect(text).not.toContain('/coe constraint add'); // the executives' own
  });

  it('answers an unknown command with the same help, pointing at /coe help', async () => {
    const reply = await help(WORKER, 'frobnicate now');
    expect(reply.text).toContain('I don\'t know "frobnicate now" yet.');
    expect(reply.text).toContain('Send `/coe help` for everything you can do.');
    expect(blockKitProblems(reply)).toEqual([]);
  });
});
