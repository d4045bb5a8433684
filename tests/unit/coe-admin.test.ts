import { beforeEach, describe, expect, it } from 'vitest';
import { type CoeCommand, MENTION, parseCoeCommand } from '../../src/domain/coe-command.ts';
import { CoeError } from '../../src/domain/errors.ts';
import type { PersonRef, Platform } from '../../src/domain/people.ts';
import { type AdminCommand, CoeAdminService, type CoeRequest } from '../../src/services/coe-admin.ts';
import { MemoryStore } from '../support/memory.ts';

const boss: PersonRef = { platform: 'slack', externalId: 'U0BOSS', displayName: 'Coe Boss' };
const worker: PersonRef = { platform: 'slack', externalId: 'U0WORK', displayName: 'Wanda' };
const target: PersonRef = { platform: 'slack', externalId: 'U0NEW', displayName: 'Nico' };

let store: MemoryStore;
const handle = (r: CoeRequest, command: CoeCommand) => coe.handle(r, command as AdminCommand);
let coe: CoeAdminService;
let keys = 0;

beforeEach(() => {
  store = new MemoryStore();
  coe = new CoeAdminService(store);
});

const request = (actor: PersonRef, extra: Partial<CoeRequest> = {}): CoeRequest => ({
  actor,
  key: `key-${++keys}`,
  channelId: 'C0REVIEW',
  ...extra,
});

async function expectCoeError(promise: Promise<unknown>, code: CoeError['code']): Promise<CoeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoeError);
  expect((error as CoeError).code).toBe(code);
  return error as CoeError;
}

describe('help', () => {
  // The per-layer lists themselves are in help.test.ts; here, what the service makes of a person it reads.
  it.each(['slack', 'teams'] as const)(
    'names commands as tokens each platform writes its own way (%s)',
    async (platform) => {
      const reply = await handle(request({ platform, externalId: 'x' }), parseCoeCommand(''));
      expect(reply.text).toBe(
        'I help your Center of Excellence run its improvement loop. Most used: {{friction [what happened]}}, {{coe my reports}}, {{coe ai <tool>}}.',
      );
      expect(JSON.stringify(reply)).not.toMatch(/\/coe|`/);
    },
  );

  it('answers a person the bot has never met as a worker, and a CoE member as one', async () => {
    const stranger = await handle(request(worker), parseCoeCommand('help'));
    expect(stranger.blocks[0]).toEqual({
      type: 'paragraph',
      text: 'I help your Center of Excellence run its improvement loop. What you use most as a worker:',
    });
    await coe.bootstrapCoeMembers([boss]);
    const member = await handle(request(boss), parseCoeCommand('help'));
    expect(member.blocks[0]).toMatchObject({ text: expect.stringMatching(/What you use most as a CoE member:$/) });
    expect(member.blocks[1]).toMatchObject({ type: 'commands', commands: [{ command: { words: 'queue' } }, {}, {}] });
  });

  it('shows everything at once for `help all`', async () => {
    const reply = await handle(request(worker), parseCoeCommand('help all'));
    expect(reply.blocks[0]).toMatchObject({ text: expect.stringMatching(/Everything you can do as a worker/) });
    const commands = reply.blocks.find((b) => b.type === 'commands');
    expect(commands?.type === 'commands' && commands.more).toBeUndefined();
  });

  it('answers an unknown command with the help, quoting what was typed', async () => {
    const reply = await handle(request(worker), parseCoeCommand('launch rockets'));
    expect(reply.text).toMatch(
      /^I don't know "launch rockets" yet\. Most used: .+\. Send \{\{coe help\}\} for everything/,
    );
    expect(reply.blocks.map((b) => b.type)).toEqual(['paragraph', 'commands', 'note']);
  });

  it('answers invalid usage with the problem and the usage, as a command each platform writes its own way', async () => {
    const slack = await handle(request(worker), parseCoeCommand('role bob coe'));
    expect(slack.text).toBe(
      'Mention the person whose role you are setting. Usage: {{coe role @person coe|manager|executive|worker}}',
    );
    const teams = await handle(request({ platform: 'teams', externalId: 'a' }), parseCoeCommand('setup'));
    expect(teams.blocks).toContainEqual({ type: 'note', text: 'Usage: {{coe setup review-channel}}' });
  });

  it('changes nothing', async () => {
    await handle(request(worker), parseCoeCommand('help'));
    expect(store.people).toEqual([]);
    expect(store.outbox).toEqual([]);
  });
});

describe('bootstrapCoeMembers', () => {
  it('makes the listed identities CoE members once, however often it runs', async () => {
    const members: PersonRef[] = [boss, { platform: 'teams', externalId: 'aad-1' }];
    await coe.bootstrapCoeMembers(members);
    await coe.bootstrapCoeMembers(members);
    expect(store.people.map((p) => p.layer)).toEqual(['coe', 'coe']);
    expect(store.events).toHaveLength(2);
    expect(store.events[0]).toMatchObject({
      actorPersonId: null,
      action: 'role.granted',
      from: 'worker',
      to: 'coe',
      reason: 'COE_MEMBERS',
    });
    expect(store.outbox).toEqual([]);
  });

  it('does nothing without members', async () => {
    await coe.bootstrapCoeMembers([]);
    expect(store.people).toEqual([]);
  });
});

describe('bootstrapReviewChannel', () => {
  it('sets the configured channel when none is set, and never overrides a channel the CoE chose', async () => {
    await coe.bootstrapReviewChannel('slack', 'C0CONFIG');
    expect(store.reviewChannel('slack')).toBe('C0CONFIG');
    expect(store.events).toMatchObject([{ action: 'review-channel.set', to: 'C0CONFIG', reason: 'configuration' }]);
    await coe.bootstrapCoeMembers([boss]);
    await handle(request(boss, { channelId: 'C0CHOSEN' }), parseCoeCommand('setup review-channel'));
    await coe.bootstrapReviewChannel('slack', 'C0CONFIG');
    expect(store.reviewChannel('slack')).toBe('C0CHOSEN');
  });
});

describe('a worker', () => {
  it.each([
    ['setup review-channel', []],
    [`role ${MENTION} coe`, [target]],
  ] as const)('may not %s, and nothing changes', async (text, mentions) => {
    await coe.bootstrapCoeMembers([boss]);
    const before = { people: store.people, events: store.events };
    const req = request(target);
    const error = await expectCoeError(handle(req, parseCoeCommand(text, mentions)), 'PERMISSION.DENIED');
    expect(error.userMessage).toMatch(/Only CoE members/);
    expect(store.people).toEqual(before.people); // the worker was not even created
    expect(store.events).toEqual(before.events);
    expect(store.outbox).toEqual([]);
    expect(store.reviewChannel('slack')).toBeUndefined();
    expect(store.processed(req.key)).toBe(false); // so a retry after being granted the role still works
  });
});

describe('setting up the review channel', () => {
  beforeEach(() => coe.bootstrapCoeMembers([boss, { platform: 'teams', externalId: 'aad-boss' }]));

  it('stores the channel, records the change and announces it there', async () => {
    const reply = await handle(request(boss, { key: 'k1', channelId: 'C0REVIEW' }), { kind: 'setupReviewChannel' });
    expect(reply.text).toBe('Done: this channel is now the CoE review channel.');
    expect(store.reviewChannel('slack')).toBe('C0REVIEW');
    expect(store.reviewChannel('teams')).toBeUndefined();
    const bossId = store.personByIdentity('slack', boss.externalId)?.id;
    expect(store.events.at(-1)).toMatchObject({
      actorPersonId: bossId,
      subject: 'review-channel:slack',
      action: 'review-channel.set',
      to: 'C0REVIEW',
    });
    expect(store.outbox).toHaveLength(1);
    expect(store.outbox[0]).toMatchObject({
      key: 'k1:announce',
      platform: 'slack',
      target: { kind: 'channel', channelId: 'C0REVIEW' },
      status: 'pending',
    });
    expect(store.outbox[0]?.body.blocks[0]).toEqual({ type: 'heading', text: 'CoE review channel' });
  });

  it('is done once per request key', async () => {
    const req = request(boss, { key: 'retry-me' });
    await handle(req, { kind: 'setupReviewChannel' });
    const events = store.events.length;
    const again = await handle(req, { kind: 'setupReviewChannel' });
    expect(again.text).toBe('Already done.');
    expect(store.outbox).toHaveLength(1);
    expect(store.events).toHaveLength(events);
  });

  it('keeps a record of the move to another channel, and tells both (more in review-channel.test.ts)', async () => {
    await handle(request(boss, { channelId: 'C0OLD' }), { kind: 'setupReviewChannel' });
    await handle(request(boss, { channelId: 'C0NEW' }), { kind: 'setupReviewChannel' });
    await handle(request(boss, { channelId: 'C0NEW' }), { kind: 'setupReviewChannel' });
    expect(store.reviewChannel('slack')).toBe('C0NEW');
    expect(store.events.find((e) => e.action === 'review-channel.moved')).toMatchObject({
      from: 'C0OLD',
      to: 'C0NEW',
    });
    expect(store.outbox.map((r) => r.target)).toEqual([
      { kind: 'channel', channelId: 'C0OLD' },
      { kind: 'channel', channelId: 'C0NEW' },
      { kind: 'channel', channelId: 'C0OLD' },
    ]);
  });

  it('is set per platform', async () => {
    await handle(request({ platform: 'teams', externalId: 'aad-boss' }, { channelId: '19:abc@thread.tacv2' }), {
      kind: 'setupReviewChannel',
    });
    expect(store.reviewChannel('teams')).toBe('19:abc@thread.tacv2');
    expect(store.reviewChannel('slack')).toBeUndefined();
    expect(store.outbox[0]?.platform).toBe('teams');
  });

  it.each(['slack', 'teams'] as Platform[])('is refused in a direct message on %s', async (platform) => {
    const actor = platform === 'slack' ? boss : { platform, externalId: 'aad-boss' };
    const error = await expectCoeError(
      handle(request(actor, { channelId: undefined }), { kind: 'setupReviewChannel' }),
      'SETUP.WRONG_PLACE',
    );
    expect(error.userMessage).toContain('Run {{coe setup review-channel}} in the channel');
    expect(store.reviewChannel(platform)).toBeUndefined();
    expect(store.outbox).toEqual([]);
  });
});

describe('granting a role', () => {
  beforeEach(() => coe.bootstrapCoeMembers([boss]));

  it('changes the layer, records from/to and tells the person privately', async () => {
    const reply = await handle(request(boss, { key: 'g1' }), parseCoeCommand(`role ${MENTION} manager`, [target]));
    expect(reply.text).toBe('Done: Nico is now a manager.');
    const nico = store.personByIdentity('slack', target.externalId);
    expect(nico?.layer).toBe('manager');
    expect(store.events.at(-1)).toMatchObject({
      actorPersonId: store.personByIdentity('slack', boss.externalId)?.id,
      subject: `person:${nico?.id}`,
      action: 'role.granted',
      from: 'worker',
      to: 'manager',
    });
    expect(store.outbox).toHaveLength(1);
    expect(store.outbox[0]).toMatchObject({
      key: 'g1:notify',
      platform: 'slack',
      target: { kind: 'dm', externalId: 'U0NEW' },
      body: { text: 'You are now a manager in the CoE bot.' },
    });
  });

  it('changes nothing when the person already has that layer', async () => {
    const grant = () => handle(request(boss), parseCoeCommand(`role ${MENTION} coe`, [target]));
    await grant();
    const events = store.events.length;
    const reply = await grant();
    expect(reply.text).toBe('Nico is already a CoE member.');
    expect(store.events).toHaveLength(events);
    expect(store.outbox).toHaveLength(1);
  });

  it('answers a repeated request key with "Already done." and sends one message', async () => {
    const req = request(boss, { key: 'double-click' });
    const command = parseCoeCommand(`role ${MENTION} executive`, [target]);
    const [first, second] = await Promise.all([handle(req, command), handle(req, command)]);
    expect([first.text, second.text]).toEqual(['Done: Nico is now an executive.', 'Already done.']);
    expect(store.outbox).toHaveLength(1);
    expect(store.events.filter((e) => e.to === 'executive')).toHaveLength(1);
  });

  it('lets a new CoE member use their powers', async () => {
    await handle(request(boss), parseCoeCommand(`role ${MENTION} coe`, [target]));
    await handle(request(target, { channelId: 'C0NICO' }), { kind: 'setupReviewChannel' });
    expect(store.reviewChannel('slack')).toBe('C0NICO');
  });
});

describe('MemoryStore', () => {
  it('discards all of a failed transaction', async () => {
    await expect(
      store.transaction(async (repos) => {
        await repos.people.identify(worker);
        await repos.events.record({ actorPersonId: null, subject: 's', action: 'a' });
        await repos.outbox.enqueue({
          key: 'm',
          platform: 'slack',
          target: { kind: 'dm', externalId: 'U' },
          body: { text: 't', blocks: [] },
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect([store.people, store.events, store.outbox]).toEqual([[], [], []]);
  });

  it('records a key only when its work commits', async () => {
    await expect(store.once('k', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await store.once('k', async () => 1)).toEqual({ duplicate: false, value: 1 });
    expect(await store.once('k', async () => 2)).toEqual({ duplicate: true });
  });

  it('writes an outbox key once', async () => {
    const msg = {
      key: 'same',
      platform: 'teams' as const,
      target: { kind: 'dm' as const, externalId: 'a' },
      body: { text: 't', blocks: [] },
    };
    await store.transaction(async (repos) => {
      await repos.outbox.enqueue(msg);
      await repos.outbox.enqueue(msg);
    });
    await store.transaction((repos) => repos.outbox.enqueue(msg));
    expect(store.outbox).toHaveLength(1);
  });
});
