/**
 * One event, one message per person in Slack (issue 12) for audits, through the real Bolt app with a clock the test
 * moves: two audit plans Mike owns fire in the same minute, and he gets one direct message — AUD-1's checklist first,
 * AUD-2 as a line with its own "Record" button that opens AUD-2's results form — however both jobs' fires arrive.
 * Signed HTTP requests in, a fake Slack Web API behind, on each database.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../src/domain/schedule-messages.ts';
import { AUDIT_PLAN_BLOCKS, VIEWS } from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import type { SlackMessage } from '../support/fake-slack-api.ts';
import { ManualClock } from '../support/memory.ts';
import { blocksText, dmChannel, mention, slackStory } from '../support/slack-harness.ts';

interface User {
  id: string;
  name: string;
}
const COE: User = { id: 'UCOE1', name: 'cora' };
const MGR: User = { id: 'UMGR1', name: 'mike' };
const REVIEW = 'C0REVIEW';

type Json = Record<string, unknown>;

/** Monday 4 January 2027, 08:30 UTC (the bot runs with TZ=UTC); the plans fire at 09:00. */
const MONDAY = new Date('2027-01-04T08:30:00.000Z');
const NINE = new Date('2027-01-04T09:00:00.000Z');

describe.each(databaseKinds())('audits due together in Slack (%s)', (kind: DatabaseKind) => {
  const clock = new ManualClock(MONDAY);
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW, clock, env: { TZ: 'UTC' } });
  const { coe, flush, openFrom, submit, press, dms } = story;
  let { db, slack, bot } = story;
  beforeEach(async () => {
    ({ db, slack, bot } = story);
    clock.set(MONDAY);
    expect((await coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/SOP-inventory-scanning/);
    expect((await coe(`role ${mention(MGR)} manager`)).text).toMatch(/manager/);
  });

  /** The scheduler follows the plans in the background: waits until its audit jobs are exactly these. */
  const waitForAuditJobs = async (wanted: string[]) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const jobs = (await bot.scheduler.board()).filter((j) => j.name.startsWith('audit:')).map((j) => j.name);
      if (JSON.stringify(jobs) === JSON.stringify(wanted)) return;
      if (Date.now() > deadline) throw new Error(`audit jobs: ${JSON.stringify(jobs)}`);
      await sleep(20);
    }
  };
  const plan = async (checklist: string) => {
    const view = await openFrom('/coe', 'audit plan', COE);
    const ok = await submit(
      view,
      {
        [AUDIT_PLAN_BLOCKS.schedule]: '0 9 * * 1',
        [AUDIT_PLAN_BLOCKS.checklist]: checklist,
        [AUDIT_PLAN_BLOCKS.variance]: '5',
        [AUDIT_PLAN_BLOCKS.owner]: MGR.id,
      },
      COE,
    );
    expect(ok.response_action, JSON.stringify(ok)).toBe('update');
  };
  /** The message as it would be with only the button labelled `label` (the harness presses the first it finds). */
  const onlyButton = (message: SlackMessage, label: string): SlackMessage => ({
    ...message,
    blocks: (message.blocks as Json[]).map((b) =>
      b.type !== 'actions'
        ? b
        : { ...b, elements: (b.elements as Json[]).filter((e) => (e.text as Json).text === label) },
    ),
  });

  it('sends the owner of two plans due in the same minute one message, each run with its own button', async () => {
    await plan('Scanners restarted at shift start\nCounts reconciled before noon');
    await plan('Cold store below 4°C');
    await waitForAuditJobs(['audit:AUD-1', 'audit:AUD-2']);
    await flush();

    // Both jobs fire at 09:00 (in either order): the first opens both runs, the second finds its run open.
    clock.set(NINE);
    expect(await bot.scheduler.execute('audit:AUD-2', NINE)).toBe(true);
    expect(await bot.scheduler.execute('audit:AUD-1', NINE)).toBe(true);
    await flush();
    const due = dms(MGR, /^Audit /);
    expect(due.map((m) => m.text)).toEqual([
      'Audit AUD-1 of SOP-inventory-scanning v1.0 is due: 2 items — Audit AUD-2 of SOP-inventory-scanning v1.0 is due too: 1 item, listed in its form.',
    ]);
    const [message] = due as [SlackMessage];
    const runs = await db.prisma.auditRun.findMany({ orderBy: { planNumber: 'asc' } });
    expect(runs.map((r) => [r.planNumber, r.dueAt])).toEqual([
      [1, NINE],
      [2, NINE],
    ]);
    const buttons = (message.blocks as Json[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as Json[])
      .map((e) => [e.action_id, (e.text as Json).text, e.value]);
    expect(buttons).toEqual([
      [AUDIT_ACTIONS.record, 'Record results', String(runs[0]?.id)],
      [AUDIT_ACTIONS.record, 'Record AUD-2 results', String(runs[1]?.id)],
    ]);
    expect(blocksText(message.blocks)).toContain('Scanners restarted at shift start');

    // AUD-2's button opens AUD-2's results form.
    const opened = slack.calls('views.open').length;
    await press(MGR, dmChannel(MGR), onlyButton(message, 'Record AUD-2 results'), AUDIT_ACTIONS.record);
    const [call] = (await slack.waitForCalls('views.open', opened + 1)).slice(opened);
    const form = call?.args.view as Json;
    expect(form.callback_id).toBe(VIEWS.auditResultsForm);
    expect(JSON.parse(String(form.private_metadata))).toEqual({ run: String(runs[1]?.id) });
    expect(blocksText(form.blocks)).toContain('Cold store below 4°C');
  });

  it('kept every message it sent within the Block Kit limits', () => {
    expect(story.blockKit().problems).toEqual([]);
  });
});
