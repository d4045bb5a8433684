/**
 * Moving the CoE review channel (issue 12), with the in-memory fakes: kept in the history (who, from which channel,
 * to which), the old channel told once where review went, the new one its usual announcement; CoE members only, and
 * a refusal changes nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { channelLabel } from '../../src/domain/review-channel-messages.ts';
import { CoeAdminService, type CoeRequest } from '../../src/services/coe-admin.ts';
import { MemoryStore } from '../support/memory.ts';

const cora: PersonRef = { platform: 'slack', externalId: 'U0CORA', displayName: 'Cora Oyelaran' };
const teamsCora: PersonRef = { platform: 'teams', externalId: 'aad-cora', displayName: 'Cora Oyelaran' };

let store: MemoryStore;
let coe: CoeAdminService;
let keys = 0;

beforeEach(async () => {
  store = new MemoryStore();
  coe = new CoeAdminService(store);
  await coe.bootstrapCoeMembers([cora, teamsCora]);
});

const setup = (actor: PersonRef, channelId: string, extra: Partial<CoeRequest> = {}) =>
  coe.handle({ actor, key: `key-${++keys}`, channelId, ...extra }, { kind: 'setupReviewChannel' });

const texts = (body: { text: string; blocks: unknown[] }) => JSON.stringify(body);

describe('moving the review channel', () => {
  it('records who moved it from where to where, and tells the old channel where review went', async () => {
    await setup(cora, 'C0OLD');
    const reply = await setup(cora, 'C0NEW', { key: 'move-1', channelName: 'coe-review-2' });
    expect(reply.text).toMatch(/^Done: this channel is now the CoE review channel\. The old one is told where/);
    expect(store.reviewChannel('slack')).toBe('C0NEW');

    const coraId = store.personByIdentity('slack', cora.externalId)?.id;
    const history = store.events.filter((e) => e.subject === 'review-channel:slack');
    expect(history).toEqual([
      expect.objectContaining({ actorPersonId: coraId, action: 'review-channel.set', to: 'C0OLD' }),
      expect.objectContaining({ actorPersonId: coraId, action: 'review-channel.moved', from: 'C0OLD', to: 'C0NEW' }),
    ]);

    const queued = store.outbox.filter((r) => r.key.startsWith('move-1'));
    expect(queued.map((r) => [r.key, r.target])).toEqual([
      ['move-1:announce', { kind: 'channel', channelId: 'C0NEW' }],
      ['move-1:moved', { kind: 'channel', channelId: 'C0OLD' }],
    ]);
    const [announce, moved] = queued;
    expect(announce?.body.blocks[0]).toEqual({ type: 'heading', text: 'CoE review channel' });
    expect(moved?.body.text).toBe('CoE review moved to #coe-review-2.');
    expect(texts(moved?.body ?? { text: '', blocks: [] })).toContain('their buttons still work');
    expect(moved?.body.blocks).toContainEqual({ type: 'note', text: 'Moved by Cora Oyelaran.' });
  });

  it('says "another channel" where the platform gave no name, and moves each platform on its own', async () => {
    await setup(cora, 'C0SLACK');
    await setup(teamsCora, '19:old@thread.tacv2');
    await setup(teamsCora, '19:new@thread.tacv2', { key: 'teams-move' });
    expect(store.reviewChannel('slack')).toBe('C0SLACK');
    expect(store.reviewChannel('teams')).toBe('19:new@thread.tacv2');
    const moved = store.outbox.find((r) => r.key === 'teams-move:moved');
    expect(moved).toMatchObject({ platform: 'teams', target: { kind: 'channel', channelId: '19:old@thread.tacv2' } });
    expect(moved?.body.text).toBe('CoE review moved to another channel.');
    expect(store.events.filter((e) => e.action === 'review-channel.moved')).toHaveLength(1);
  });

  it('changes and tells nothing when it is the review channel already, or on a retry', async () => {
    await setup(cora, 'C0OLD');
    await setup(cora, 'C0NEW', { key: 'once' });
    const before = { events: store.events.length, outbox: store.outbox.length };
    expect((await setup(cora, 'C0NEW')).text).toBe('This channel is the CoE review channel already: nothing changed.');
    expect((await setup(cora, 'C0NEW', { key: 'once' })).text).toBe('Already done.');
    expect(store.events).toHaveLength(before.events);
    expect(store.outbox).toHaveLength(before.outbox);
  });

  it.each(['worker', 'manager', 'executive'] as Layer[])('is refused to a %s, with nothing changed', async (layer) => {
    await setup(cora, 'C0OLD');
    const other: PersonRef = { platform: 'slack', externalId: `U0${layer.toUpperCase()}`, displayName: 'Sam' };
    if (layer !== 'worker') {
      await store.transaction(async (repos) => {
        const person = await repos.people.identify(other);
        await repos.people.setLayer(person.id, layer);
      });
    }
    const before = { people: store.people, events: store.events, outbox: store.outbox.length };
    await expect(setup(other, 'C0ELSEWHERE', { key: 'refused' })).rejects.toMatchObject({
      code: 'PERMISSION.DENIED',
    });
    expect(store.reviewChannel('slack')).toBe('C0OLD');
    expect(store.people).toEqual(before.people);
    expect(store.events).toEqual(before.events);
    expect(store.outbox).toHaveLength(before.outbox);
    expect(store.processed('refused')).toBe(false);
  });
});

describe('channelLabel', () => {
  it('writes a channel name as readers know it, and nothing without one', () => {
    expect(channelLabel('coe-review')).toBe('#coe-review');
    expect(channelLabel('#coe-review')).toBe('#coe-review');
    expect(channelLabel('CoE **review** <here>')).toBe('#CoE review here');
    expect(channelLabel('   ')).toBeUndefined();
    expect(channelLabel(undefined)).toBeUndefined();
    expect(channelLabel('x'.repeat(200))?.length).toBe(81);
  });
});
