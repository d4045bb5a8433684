/**
 * Names, not blanks or handles, in Slack (issue 12): a CoE member listed in COE_MEMBERS who never typed a command is
 * named on the approval they press, and people only mentioned in a command are named as Slack shows them — both by
 * the real name `users.info` answers, never "a CoE member" nor their username. Through the real Bolt app with signed
 * requests against the fake Slack Web API.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeField } from '../../src/domain/change.ts';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { AUDIT_PLAN_BLOCKS, CHANGE_FORM_BLOCKS } from '../../src/platforms/slack/ids.ts';
import type { TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { blocksText, mention, slackHarness, startSlackBot } from '../support/slack-harness.ts';
import type { InputValue } from '../support/slack-interactions.ts';

interface User {
  id: string;
  /** The username Slack puts in commands, payloads and mentions. */
  name: string;
  /** What `users.info` answers: the name records should show. */
  realName: string;
}
const CORA: User = { id: 'UCOE1', name: 'cora', realName: 'Cora Oyelaran' };
/** In COE_MEMBERS, and never types a command: she only presses Approve. */
const OTTO: User = { id: 'UCOE2', name: 'otto.okafor', realName: 'Otto Okafor' };
const MIKE: User = { id: 'UMGR1', name: 'mike', realName: 'Mike Brandt' };
/** Only ever mentioned in commands. */
const NORA: User = { id: 'UNORA7', name: 'nora.n', realName: 'Nora Nakamura' };
/** Only ever picked as an audit's owner. */
const OWEN: User = { id: 'UOWEN4', name: 'owen', realName: 'Owen Obi' };
const REVIEW = 'C0REVIEW';
const COE_MEMBERS = [CORA, OTTO];

const CHANGE: Partial<Record<ChangeField, InputValue>> = {
  kind: 'tool',
  newSop: 'inventory-scanning',
  title: 'Restart scanners at every shift change',
  change: 'Shift leads restart every handheld scanner at the start of each shift.',
  why: 'Scanners freeze after about 30 minutes and counts get lost.',
  risk: 'low',
  improvement: 'clarify',
};

describe.each(databaseKinds())('names in Slack (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let bot: TestBot;
  const h = slackHarness({ bot: () => bot, slack: () => slack, coe: CORA, reviewChannel: REVIEW });

  beforeAll(async () => {
    db = await testDatabase(kind);
    await db.reset();
    slack = await FakeSlackApi.start();
    bot = await startSlackBot({
      database: db,
      slack,
      env: { COE_MEMBERS: COE_MEMBERS.map((u) => `slack:${u.id}`).join(',') },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
  });
  beforeEach(async () => {
    await db.reset();
    bot.forgetCached();
    slack.reset();
    for (const u of [CORA, OTTO, MIKE, NORA, OWEN]) {
      slack.setUser({ id: u.id, name: u.name, real_name: u.realName, display_name: u.name });
    }
    // What COE_MEMBERS does at start-up, again after the reset: both known by their Slack id only.
    await bot.services.admin.bootstrapCoeMembers(COE_MEMBERS.map((u) => ({ platform: 'slack', externalId: u.id })));
  });
  afterEach(() => h.flush());

  const nameInDb = async (user: User) =>
    (
      await db.prisma.platformIdentity.findUnique({
        where: { platform_externalId: { platform: 'slack', externalId: user.id } },
        include: { person: true },
      })
    )?.person.displayName;

  it('names a COE_MEMBERS member who never typed a command on the approval she presses', async () => {
    expect((await h.coe('setup review-channel')).text).toMatch(/review channel/);
    expect((await h.coe(`role ${mention(MIKE)} manager`)).text).toMatch(/^Done/);
    const view = await h.openFrom('/change-request', '', MIKE);
    const byBlock = Object.fromEntries(
      Object.entries(CHANGE).map(([field, value]) => [CHANGE_FORM_BLOCKS[field as ChangeField], value]),
    );
    expect((await h.submit(view, byBlock, MIKE)).response_action).toBe('update');
    await h.flush();
    expect(await nameInDb(OTTO)).toBeNull();

    const review = h.topLevel(REVIEW, 'CR-1 ');
    await h.press(OTTO, REVIEW, review, CHANGE_ACTIONS.approve);
    await h.waitForEphemeral(OTTO, /CR-1 is approved/);
    await h.flush();

    // The review message, its thread, the requester's note and the status all say who: by her real name.
    const approved = h.topLevel(REVIEW, 'CR-1 ');
    expect(approved.text).toMatch(/^CR-1 approved/);
    expect(blocksText(approved.blocks)).toContain('1/1 (Otto Okafor)');
    expect(h.repliesTo(REVIEW, review).map((m) => m.text)).toEqual(['Otto Okafor approved it.']);
    const note = h.dms(MIKE, /CR-1 .* is now approved/);
    expect(note).toHaveLength(1);
    expect(blocksText(note[0]?.blocks)).toContain('Otto Okafor approved it.');
    const status = await h.coe('status CR-1', MIKE, 'C0GENERAL');
    expect(blocksText(status.blocks)).toContain('1/1 (Otto Okafor)');
    for (const said of [blocksText(approved.blocks), blocksText(note[0]?.blocks), blocksText(status.blocks)]) {
      expect(said).not.toMatch(/a CoE member|otto\.okafor/);
    }
    expect(await nameInDb(OTTO)).toBe('Otto Okafor');
    // Slack was asked once for her name (the bot keeps it for hours).
    expect(slack.calls('users.info').filter((c) => c.args.user === OTTO.id)).toHaveLength(1);
  });

  it('names people a command only mentions as Slack shows them, and renames one known by a username', async () => {
    // Nora never uses the bot: she is only mentioned.
    expect((await h.coe(`role ${mention(NORA)} manager`)).text).toBe('Done: Nora Nakamura is now a manager.');
    expect(await nameInDb(NORA)).toBe('Nora Nakamura');
    expect((await h.coe('team add Warehouse')).text).toMatch(/^Done/);
    expect((await h.coe(`team member ${mention(NORA)} Warehouse manager`)).text).toBe(
      'Done: Nora Nakamura manages Warehouse.',
    );
    expect(slack.calls('users.info').filter((c) => c.args.user === NORA.id)).toHaveLength(1);

    // Mike was met before names were looked up: his record says "mike" until a command mentions him.
    await db.prisma.person.create({
      data: { displayName: MIKE.name, identities: { create: { platform: 'slack', externalId: MIKE.id } } },
    });
    expect((await h.coe(`team member ${mention(MIKE)} Warehouse`)).text).toBe('Done: Mike Brandt is in Warehouse.');
    expect(await nameInDb(MIKE)).toBe('Mike Brandt');
  });

  it('names an audit owner picked in the form who never used the bot', async () => {
    expect((await h.coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/registered/);
    const view = await h.openFrom('/coe', 'audit plan', CORA);
    const planned = await h.submit(
      view,
      {
        [AUDIT_PLAN_BLOCKS.schedule]: '0 9 * * 1',
        [AUDIT_PLAN_BLOCKS.checklist]: 'Scanners restarted at shift start',
        [AUDIT_PLAN_BLOCKS.variance]: '5',
        [AUDIT_PLAN_BLOCKS.owner]: OWEN.id,
      },
      CORA,
    );
    expect(planned.response_action).toBe('update');
    const plan = await db.prisma.auditPlan.findUniqueOrThrow({ where: { number: 1 } });
    const owner = await db.prisma.platformIdentity.findFirstOrThrow({ where: { externalId: OWEN.id } });
    expect(plan.ownerPersonId).toBe(owner.personId);
    expect(await nameInDb(OWEN)).toBe('Owen Obi');
  });

  it('keeps the username of someone Slack will not describe, and still does what was asked', async () => {
    const pat = { id: 'UPAT3', name: 'pat' };
    slack.setFaultPolicy((call) =>
      call.method === 'users.info' && call.args.user === pat.id ? { status: 200, error: 'user_not_found' } : undefined,
    );
    expect((await h.coe(`role ${mention(pat)} manager`)).text).toBe('Done: pat is now a manager.');
    expect(slack.calls('users.info').filter((c) => c.args.user === pat.id)).toHaveLength(1);
  });
});
