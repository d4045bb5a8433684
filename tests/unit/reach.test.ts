import { beforeEach, describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/ports.ts';
import { ReachService } from '../../src/services/reach.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';

const errors: unknown[] = [];
const log = { error: (obj: object) => errors.push(obj) };

let clock: ManualClock;
let store: MemoryStore;
let reach: ReachService;

beforeEach(async () => {
  errors.length = 0;
  clock = new ManualClock('2025-03-03T09:00:00.000Z');
  store = new MemoryStore(clock);
  reach = new ReachService(store, log);
  await store.transaction(async (repos) => {
    await repos.reviewChannels.set('slack', 'C0REVIEW');
    await repos.people.identify({ platform: 'teams', externalId: 'aad-nina', displayName: 'Nina Newcomer' });
    await repos.outbox.enqueue({
      key: 'FR-3:v2:reporter',
      platform: 'teams',
      target: { kind: 'dm', externalId: 'aad-nina' },
      body: { text: 'FR-3 is declined', blocks: [] },
    });
    await repos.outbox.enqueue({
      key: 'release:1:C0WARE',
      platform: 'slack',
      target: { kind: 'channel', channelId: 'C0WARE' },
      body: { text: 'v1.1', blocks: [] },
    });
  });
  // Given up for good, as the deliverer leaves such rows.
  for (const row of store.outbox) {
    row.status = 'failed';
    row.lastError = row.target.kind === 'dm' ? 'the bot has not met this person in Teams yet' : 'Slack: is_archived';
  }
});

const notes = () => store.outbox.filter((r) => r.key.startsWith('unreachable:'));
const rowOf = (key: string) => store.outbox.find((r) => r.key === key) as unknown as OutboxRow;

describe('ReachService', () => {
  it('tells the CoE once who could not be reached, why and what to do, on the review channel it has', async () => {
    await reach.onFailed(rowOf('FR-3:v2:reporter'), 'the bot has not met this person in Teams yet');
    await reach.sweep(clock.now());
    await reach.sweep(clock.now());
    expect(notes().map((r) => [r.key, r.platform, r.target])).toEqual([
      ['unreachable:FR-3:v2:reporter', 'slack', { kind: 'channel', channelId: 'C0REVIEW' }],
    ]);
    const text = JSON.stringify(notes()[0]?.body);
    expect(text).toContain('Could not reach Nina Newcomer in Teams about FR-3: the bot has not met them in Teams yet.');
    expect(text).toContain('add the CoE app to a team they are in');
    // The message itself is not repeated: it may be private to its reader.
    expect(text).not.toContain('declined');
    expect(errors).toEqual([]);
  });

  it('ignores what failed in channels, and messages older than a week at start-up', async () => {
    await reach.onFailed(rowOf('release:1:C0WARE'), 'Slack: is_archived');
    clock.advance(8 * 24 * 3600 * 1000);
    await reach.sweep(clock.now());
    expect(notes()).toEqual([]);
  });

  it('without a review channel it has nowhere to say it, and says nothing', async () => {
    const bare = new MemoryStore(clock);
    await bare.transaction((repos) =>
      repos.outbox.enqueue({
        key: 'CR-1:requester',
        platform: 'slack',
        target: { kind: 'dm', externalId: 'U9' },
        body: { text: 'CR-1 approved', blocks: [] },
      }),
    );
    for (const row of bare.outbox) row.status = 'failed';
    await new ReachService(bare, log).sweep(clock.now());
    expect(bare.outbox.map((r) => r.key)).toEqual(['CR-1:requester']);
  });

  it('explains a deactivated Slack account and an unknown one', async () => {
    const { unreachableMessage } = await import('../../src/services/reach.ts');
    const slack = (error: string) =>
      JSON.stringify(unreachableMessage('Sam', { key: 'TR-2:remind', platform: 'slack', externalId: 'U9', error }));
    expect(slack('Slack: user_disabled')).toContain('their Slack account is deactivated');
    expect(slack('Slack: user_not_found')).toContain('Slack does not know them');
    expect(slack('Slack: something_new')).toContain('Slack refused the message (Slack: something_new)');
  });
});
