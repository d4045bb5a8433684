/**
 * An archived team in Slack (issue 12), through the real Bolt app: "Deployed in my team" pressed on a release
 * announcement posted before the team was archived says, privately, that the team is archived and records nothing,
 * while the other team still records its own. Signed HTTP requests in, a fake Slack Web API behind, on each database.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeField } from '../../src/domain/change.ts';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { RELEASE_ACTIONS } from '../../src/domain/release-messages.ts';
import { CHANGE_FORM_BLOCKS } from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { mention, slackStory } from '../support/slack-harness.ts';
import type { InputValue } from '../support/slack-interactions.ts';

interface User {
  id: string;
  name: string;
}
const COE: User = { id: 'UCOE1', name: 'cora' };
const MGR: User = { id: 'UMGR1', name: 'mike' };
const REVIEW = 'C0REVIEW';
const WARE = 'C0WARE';
const FIN = 'C0FIN';

const SCANNER_CHANGE: Partial<Record<ChangeField, InputValue>> = {
  kind: 'tool',
  sop: 'inventory-scanning',
  title: 'Restart scanners at every shift change',
  change: 'Shift leads restart every handheld scanner at the start of each shift, before counting starts.',
  why: 'Scanners freeze after about 30 minutes and counts get lost.',
  risk: 'low',
  improvement: 'clarify',
};
const changeByBlock = (values: Partial<Record<ChangeField, InputValue>>) =>
  Object.fromEntries(Object.entries(values).map(([field, value]) => [CHANGE_FORM_BLOCKS[field as ChangeField], value]));

describe.each(databaseKinds())('an archived team in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { coe, flush, openFrom, submit, press, waitForEphemeral, topLevel, updatesOf } = story;
  let { db } = story;
  beforeEach(async () => {
    ({ db } = story);
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
    expect((await coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/registered/);
    expect((await coe(`role ${mention(MGR)} manager`)).text).toMatch(/^Done/);
    for (const [team, channel] of [
      ['Warehouse', WARE],
      ['Finance', FIN],
    ] as const) {
      expect((await coe(`team add ${team} <#${channel}|${team.toLowerCase()}>`)).text).toMatch(/with its channel/);
      expect((await coe(`team member ${mention(MGR)} ${team} manager`)).text).toMatch(/manages/);
    }
  });

  /** CR-1, raised by Mike and approved by the CoE, released to both teams as v1.1. */
  const release = async () => {
    const form = await openFrom('/change-request', '', MGR);
    const raised = await submit(form, changeByBlock(SCANNER_CHANGE), MGR);
    expect(raised.response_action, JSON.stringify(raised)).toBe('update');
    await flush();
    await press(COE, REVIEW, topLevel(REVIEW, 'CR-1 '), CHANGE_ACTIONS.approve);
    await waitForEphemeral(COE, /CR-1 is approved/);
    const view = await openFrom('/coe', 'release', COE);
    const published = await submit(view, {}, COE);
    expect(published.response_action, JSON.stringify(published)).toBe('update');
    await flush();
  };

  it('answers "Deployed in my team" on an archived team’s announcement: archived, nothing recorded', async () => {
    await release();
    const warehouse = topLevel(WARE, 'New standard:');
    expect((await coe('team archive Warehouse')).text).toMatch(/^Archived: Warehouse\./);
    await flush();

    await press(MGR, WARE, warehouse, RELEASE_ACTIONS.deployed);
    const answer = await waitForEphemeral(MGR, /archived/);
    expect(answer).toEqual({
      channel: WARE,
      text: 'This team is archived, so SOP-inventory-scanning v1.1 cannot be recorded as deployed there. Nothing was recorded.',
    });
    await flush();
    expect(await db.prisma.releaseAck.count()).toBe(0);
    expect(updatesOf(warehouse)).toEqual([]);

    // Finance is not archived: Mike records it there.
    await press(MGR, FIN, topLevel(FIN, 'New standard:'), RELEASE_ACTIONS.deployed);
    await waitForEphemeral(MGR, /Recorded: Finance works to SOP-inventory-scanning v1\.1/);
    const finance = await db.prisma.team.findFirstOrThrow({ where: { name: 'Finance' } });
    expect((await db.prisma.releaseAck.findMany()).map((a) => a.teamId)).toEqual([finance.id]);
  });

  it('kept every message it sent within the Block Kit limits', () => {
    expect(story.blockKit().problems).toEqual([]);
  });
});
