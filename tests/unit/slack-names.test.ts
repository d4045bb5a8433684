import { describe, expect, it } from 'vitest';
import { FRICTION_ACTIONS } from '../../src/domain/friction-messages.ts';
import { VIEWS } from '../../src/platforms/slack/ids.ts';
import { extractMentions } from '../../src/platforms/slack/mentions.ts';
import { nameEveryone, peopleMentioned, personToName, SlackNames } from '../../src/platforms/slack/names.ts';

type Info = { user?: { real_name?: string; profile?: { real_name?: string; display_name?: string } } };

/** A `users.info` that answers from a table (or fails, or never answers), counting its calls. */
function fakeClient(answer: (user: string) => Promise<Info>) {
  const calls: string[] = [];
  return {
    calls,
    client: {
      users: {
        info: async ({ user }: { user: string }) => {
          calls.push(user);
          return answer(user);
        },
      },
    } as never,
  };
}

describe('SlackNames', () => {
  it('looks a person up once and keeps the name for hours; profile real name first', async () => {
    let now = 0;
    const { calls, client } = fakeClient(async () => ({
      user: { real_name: 'Casey M.', profile: { real_name: 'Casey Morgan', display_name: 'casey' } },
    }));
    const names = new SlackNames(client, { ttlMs: 1000 }, () => now);
    expect(names.nameOf('U1')).toBeUndefined();
    expect(await Promise.all([names.resolve('U1'), names.resolve('U1')])).toEqual(['Casey Morgan', 'Casey Morgan']);
    expect(await names.resolve('U1')).toBe('Casey Morgan');
    expect(names.nameOf('U1')).toBe('Casey Morgan');
    expect(calls).toEqual(['U1']);
    now = 1001;
    expect(names.nameOf('U1')).toBeUndefined();
    await names.resolve('U1');
    expect(calls).toEqual(['U1', 'U1']);
  });

  it('falls back to the display name, and to nothing when Slack has no name', async () => {
    const { client } = fakeClient(async (user) =>
      user === 'U1' ? { user: { real_name: ' ', profile: { display_name: 'casey' } } } : { user: {} },
    );
    const names = new SlackNames(client);
    expect(await names.resolve('U1')).toBe('casey');
    expect(await names.resolve('U2')).toBeUndefined();
  });

  it('a failing lookup costs the name, not the request, and is tried again only after a while', async () => {
    let now = 0;
    const { calls, client } = fakeClient(async () => {
      throw new Error('ratelimited');
    });
    const names = new SlackNames(client, { failureTtlMs: 100 }, () => now);
    expect(await names.resolve('U1')).toBeUndefined();
    expect(await names.resolve('U1')).toBeUndefined();
    expect(calls).toEqual(['U1']);
    now = 101;
    await names.resolve('U1');
    expect(calls).toEqual(['U1', 'U1']);
  });

  it('waits at most waitMs for Slack; the name is there for the next request', async () => {
    let answer: (info: Info) => void = () => {};
    const { client } = fakeClient(() => new Promise<Info>((resolve) => (answer = resolve)));
    const names = new SlackNames(client, { waitMs: 20 });
    const started = Date.now();
    expect(await names.resolve('U1')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    answer({ user: { real_name: 'Late Larry' } });
    await new Promise((r) => setImmediate(r));
    expect(names.nameOf('U1')).toBe('Late Larry');
  });
});

describe('personToName', () => {
  const press = (actionId: string, view?: string) => ({
    type: 'block_actions',
    user: { id: 'U1' },
    actions: [{ action_id: actionId }],
    ...(view ? { view: { callback_id: view } } : {}),
  });

  it('names whoever sends a command, presses a button or submits a form', () => {
    expect(personToName({ command: '/coe', user_id: 'U1' })).toBe('U1');
    expect(personToName(press('change.approve'))).toBe('U1');
    expect(personToName({ type: 'view_submission', user: { id: 'U1' }, view: { callback_id: VIEWS.changeForm } })).toBe(
      'U1',
    );
  });

  it('names nobody on the way to a friction report, which may be anonymous, nor for events and junk', () => {
    expect(personToName({ command: '/friction', user_id: 'U1' })).toBeUndefined();
    expect(
      personToName({ type: 'view_submission', user: { id: 'U1' }, view: { callback_id: VIEWS.frictionForm } }),
    ).toBeUndefined();
    expect(personToName(press(FRICTION_ACTIONS.plusOneInstead))).toBeUndefined();
    expect(personToName(press('anything', VIEWS.frictionConfirmation))).toBeUndefined();
    expect(personToName({ type: 'message_action', user: { id: 'U1' } })).toBeUndefined();
    expect(personToName({ type: 'event_callback', event: { user: 'U1' } })).toBeUndefined();
    for (const junk of [null, 'x', 42, { type: 'block_actions', user: { id: 7 } }]) {
      expect(personToName(junk)).toBeUndefined();
    }
  });
});

describe('people a command mentions', () => {
  it('are those of a /coe command, each once, at most ten', () => {
    expect(peopleMentioned({ command: '/coe', text: 'team member <@U2|nora> Warehouse <@W3> <@U2|nora>' })).toEqual([
      'U2',
      'W3',
    ]);
    const many = Array.from({ length: 15 }, (_, i) => `<@U${i}>`).join(' ');
    expect(peopleMentioned({ command: '/coe', text: many })).toHaveLength(10);
    // The person picked in a form (an audit's owner); never in the friction forms.
    const picked = (callback_id: string, user: unknown) => ({
      type: 'view_submission',
      user: { id: 'U1' },
      view: { callback_id, state: { values: { owner: { input: { type: 'users_select', selected_user: user } } } } },
    });
    expect(peopleMentioned(picked(VIEWS.auditPlanForm, 'U5'))).toEqual(['U5']);
    expect(peopleMentioned(picked(VIEWS.auditPlanForm, null))).toEqual([]);
    expect(peopleMentioned(picked(VIEWS.auditPlanForm, 'not an id'))).toEqual([]);
    expect(peopleMentioned(picked(VIEWS.frictionForm, 'U5'))).toEqual([]);
    // The text of a friction report is no record of anyone; nor is junk.
    expect(peopleMentioned({ command: '/friction', text: 'ask <@U2|nora>' })).toEqual([]);
    for (const junk of [null, 'x', { command: '/coe' }, { command: '/coe', text: 7 }]) {
      expect(peopleMentioned(junk)).toEqual([]);
    }
  });

  it('carry the name Slack shows once it is known, and their username', () => {
    const names = { nameOf: (id: string) => (id === 'U2' ? 'Nora Nakamura' : undefined) };
    expect(extractMentions('role <@U2|nora.n> manager <@U3|sam>', names).mentions).toEqual([
      { platform: 'slack', externalId: 'U2', displayName: 'Nora Nakamura', handle: 'nora.n' },
      { platform: 'slack', externalId: 'U3', handle: 'sam' },
    ]);
  });

  it('are looked up with the person acting before any listener, and named on the records of those known', async () => {
    const { calls, client } = fakeClient(async (user) => ({ user: { real_name: `Real ${user}` } }));
    const names = new SlackNames(client);
    const noted: unknown[] = [];
    const people = {
      noteName: async (ref: unknown) => {
        noted.push(ref);
      },
    };
    let ran = false;
    await nameEveryone(names, people, { warn: () => {} })({
      body: { command: '/coe', user_id: 'U1', text: 'role <@U2|nora> manager' },
      next: async () => {
        ran = true;
        expect(names.nameOf('U2')).toBe('Real U2');
      },
    });
    expect(ran).toBe(true);
    expect([...calls].sort()).toEqual(['U1', 'U2']);
    expect(noted).toEqual([
      { platform: 'slack', externalId: 'U1', displayName: 'Real U1' },
      { platform: 'slack', externalId: 'U2', displayName: 'Real U2' },
    ]);
  });
});
