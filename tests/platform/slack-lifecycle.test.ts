/**
 * The ends of lifecycles through the real Bolt app (issue 12): `/coe audit pause | resume | change | stop AUD-n`,
 * `/coe training due | cancel TR-n`, `/coe sop retire <key>`, `/coe team rename | archive | member remove` and
 * `/coe constraint end EX-n` — signed HTTP requests in, a fake Slack Web API behind, on each database. Each is done
 * by a CoE member (ending a constraint: an executive) and refused (privately, nothing changed) for the others; whom
 * it concerns is told; the scheduler's audit jobs follow.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { dayText } from '../../src/domain/schedule-messages.ts';
import { AUDIT_PLAN_BLOCKS, TRAINING_FORM_BLOCKS, VIEWS } from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { blocksText, element, mention, slackStory } from '../support/slack-harness.ts';

interface User {
  id: string;
  name: string;
}
const COE: User = { id: 'UCOE1', name: 'cora' };
const MGR: User = { id: 'UMGR1', name: 'mike' };
const WORKER: User = { id: 'UWORK1', name: 'wendy' };
const EXEC: User = { id: 'UEXEC1', name: 'erin' };
const REVIEW = 'C0REVIEW';
const WARE = 'C0WARE';

type Json = Record<string, unknown>;

/** Monday 4 January 2027, 10:00 UTC (the bot runs with TZ=UTC). */
const NOW = new Date('2027-01-04T10:00:00.000Z');
const CHECKLIST = 'Scanners restarted at shift start\nCounts reconciled before noon';

describe.each(databaseKinds())('the ends of lifecycles in Slack (%s)', (kind: DatabaseKind) => {
  const clock = new ManualClock(NOW);
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW, clock, env: { TZ: 'UTC' } });
  const { coe, flush, openFrom, submit, dms } = story;
  let { db, slack, bot } = story;
  beforeEach(async () => {
    ({ db, slack, bot } = story);
    clock.set(NOW);
    expect((await coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/SOP-inventory-scanning/);
    expect((await coe(`role ${mention(MGR)} manager`)).text).toMatch(/manager/);
    expect((await coe(`team add Warehouse <#${WARE}|warehouse>`)).text).toMatch(/with its channel/);
    expect((await coe(`team member ${mention(WORKER)} Warehouse`)).text).toMatch(/Warehouse/);
    await flush();
  });

  /** The scheduler follows the plans in the background: waits until its audit jobs are exactly these. */
  const waitForAuditJobs = async (wanted: Record<string, string>) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const jobs = (await bot.scheduler.board()).filter((j) => j.name.startsWith('audit:'));
      const have = Object.fromEntries(jobs.map((j) => [j.name, j.schedule]));
      if (JSON.stringify(have) === JSON.stringify(wanted)) return;
      if (Date.now() > deadline) throw new Error(`audit jobs: ${JSON.stringify(have)}`);
      await sleep(20);
    }
  };
  const planState = async () => (await db.prisma.auditPlan.findUniqueOrThrow({ where: { number: 1 } })).state;

  /** AUD-1 planned through its form, owned by Mike the manager. */
  const planAudit = async () => {
    const view = await openFrom('/coe', 'audit plan', COE);
    const ok = await submit(
      view,
      {
        [AUDIT_PLAN_BLOCKS.schedule]: '0 9 * * 1',
        [AUDIT_PLAN_BLOCKS.checklist]: CHECKLIST,
        [AUDIT_PLAN_BLOCKS.variance]: '5',
        [AUDIT_PLAN_BLOCKS.owner]: MGR.id,
      },
      COE,
    );
    expect(ok.response_action, JSON.stringify(ok)).toBe('update');
    await waitForAuditJobs({ 'audit:AUD-1': '0 9 * * 1' });
    await flush();
  };

  it('pauses, resumes, changes and stops AUD-1: the CoE only, its owner told, its job following', async () => {
    await planAudit();
    const only = 'Only CoE members pause, resume, change or stop audits. Nothing was changed.';

    // Its owner and a worker may not pause it; nothing changes, and nobody is told.
    for (const who of [MGR, WORKER]) {
      const refused = await coe('audit pause AUD-1', who, 'C0GENERAL');
      expect(refused).toMatchObject({ response_type: 'ephemeral', text: only });
    }
    expect(await planState()).toBe('active');

    const paused = await coe('audit pause AUD-1');
    expect(paused.response_type).toBe('ephemeral');
    expect(paused.text).toBe(
      'Paused: AUD-1 (SOP-inventory-scanning v1.0) does not run until it is resumed with `/coe audit resume AUD-1`.',
    );
    expect(await planState()).toBe('paused');
    await waitForAuditJobs({});
    // A fire that was already on its way opens no run.
    expect(await bot.services.audits.fire(1, new Date('2027-01-11T09:00:00.000Z'))).toBe('AUD-1 is paused: no run');
    expect(await db.prisma.auditRun.count()).toBe(0);
    await flush();
    expect(dms(MGR, /^The CoE paused AUD-1/)).toHaveLength(1);
    expect((await coe('audit pause AUD-1')).text).toBe(
      'AUD-1 is paused already. Resume it with `/coe audit resume AUD-1`.',
    );
    expect((await coe('audit list', WORKER, 'C0GENERAL')).text).toBe('Audits: AUD-1 (paused)');

    expect((await coe('audit resume AUD-1', MGR, 'C0GENERAL')).text).toBe(only);
    expect((await coe('audit resume AUD-1')).text).toMatch(/^Resumed: AUD-1 runs again on "0 9 \* \* 1"/);
    expect(await planState()).toBe('active');
    await waitForAuditJobs({ 'audit:AUD-1': '0 9 * * 1' });

    // `audit change`: refused for the owner (no form opens), the form filled for the CoE.
    const opened = slack.calls('views.open').length;
    expect((await coe('audit change AUD-1', MGR, 'C0GENERAL')).text).toBe(only);
    expect((await coe('audit change AUD-9')).text).toBe(
      'There is no AUD-9. See the audit plans with `/coe audit list`.',
    );
    expect(slack.calls('views.open')).toHaveLength(opened);
    const view = await openFrom('/coe', 'audit change AUD-1', COE);
    expect(view.callback_id).toBe(VIEWS.auditChangeForm);
    expect(blocksText(view.blocks)).toContain('AUD-1 · SOP-inventory-scanning · Inventory scanning');
    expect(element(view, AUDIT_PLAN_BLOCKS.sop)).toEqual({});
    expect(element(view, AUDIT_PLAN_BLOCKS.schedule).initial_value).toBe('0 9 * * 1');
    expect(element(view, AUDIT_PLAN_BLOCKS.checklist).initial_value).toBe(CHECKLIST);
    expect(element(view, AUDIT_PLAN_BLOCKS.variance).initial_value).toBe('5');
    expect(element(view, AUDIT_PLAN_BLOCKS.owner)).toMatchObject({ type: 'users_select', initial_user: MGR.id });

    expect(await submit(view, { [AUDIT_PLAN_BLOCKS.schedule]: 'weekly' }, COE)).toEqual({
      response_action: 'errors',
      errors: { [AUDIT_PLAN_BLOCKS.schedule]: expect.stringMatching(/"weekly" is not a cron expression/) },
    });
    const changed = await submit(view, { [AUDIT_PLAN_BLOCKS.schedule]: '30 8 * * 2' }, COE);
    expect(changed.response_action, JSON.stringify(changed)).toBe('update');
    expect((changed.view as Json).callback_id).toBe(VIEWS.auditChangeConfirmation);
    expect(blocksText((changed.view as Json).blocks)).toContain(
      'Done: AUD-1 audits SOP-inventory-scanning v1.0 on \\"30 8 * * 2\\", 2 items, acceptable variance 5%',
    );
    expect(await db.prisma.auditPlan.findUniqueOrThrow({ where: { number: 1 } })).toMatchObject({
      sopKey: 'inventory-scanning',
      schedule: '30 8 * * 2',
      state: 'active',
    });
    await waitForAuditJobs({ 'audit:AUD-1': '30 8 * * 2' });
    await flush();
    expect(dms(MGR, /^The CoE changed AUD-1: it runs on "30 8 \* \* 2"/)).toHaveLength(1);

    // Stopped: for good, its job gone, its history kept.
    expect((await coe('audit stop AUD-1', WORKER, 'C0GENERAL')).text).toBe(only);
    expect((await coe('audit stop AUD-1')).text).toMatch(/^Stopped: AUD-1 will not run again/);
    await waitForAuditJobs({});
    expect(await planState()).toBe('stopped');
    expect((await coe('audit resume AUD-1')).text).toBe(
      'AUD-1 was stopped for good, so it stays as it is. Plan a new audit with `/coe audit plan`.',
    );
    expect((await coe('audit list', WORKER, 'C0GENERAL')).text).toBe('Audits: AUD-1 (stopped)');
    expect(
      (await db.prisma.event.findMany({ where: { subject: 'AUD-1' }, orderBy: { id: 'asc' } })).map((e) => e.action),
    ).toEqual(['audit.planned', 'audit.paused', 'audit.resumed', 'audit.changed', 'audit.stopped']);
    await flush();
    expect(dms(MGR, /^The CoE stopped AUD-1/)).toHaveLength(1);
  });

  it('moves a training’s due date and cancels it: the CoE only, those not done told', async () => {
    const team = await db.prisma.team.findFirstOrThrow({ where: { name: 'Warehouse' } });
    const view = await openFrom('/coe', 'training assign', COE);
    const assigned = await submit(
      view,
      {
        [TRAINING_FORM_BLOCKS.title]: 'Restarting the handheld scanners',
        [TRAINING_FORM_BLOCKS.material]: 'https://learn.example.com/scanners',
        [TRAINING_FORM_BLOCKS.sop]: 'inventory-scanning',
        [TRAINING_FORM_BLOCKS.teams]: [String(team.id)],
        [TRAINING_FORM_BLOCKS.layers]: [],
        [TRAINING_FORM_BLOCKS.due]: '2027-01-08',
      },
      COE,
    );
    expect(assigned.response_action, JSON.stringify(assigned)).toBe('update');
    await flush();
    const only = 'Only CoE members cancel a training or move its due date. Nothing was changed.';

    expect((await coe('training due TR-1 2027-01-15', WORKER, 'C0GENERAL')).text).toBe(only);
    expect((await coe('training due TR-1 2027-01-15', MGR, 'C0GENERAL')).text).toBe(only);
    expect((await db.prisma.training.findUniqueOrThrow({ where: { number: 1 } })).dueOn).toEqual(
      new Date('2027-01-08T00:00:00.000Z'),
    );
    expect((await coe('training due TR-1 2027-01-15')).text).toBe(
      `Done: TR-1 "Restarting the handheld scanners" is now due ${dayText('2027-01-15')} (it was ${dayText('2027-01-08')}); everyone who has not completed it is told.`,
    );
    await flush();
    const [moved] = dms(WORKER, /^Training TR-1 .* is now due/);
    expect(moved?.text).toBe(
      `Training TR-1 "Restarting the handheld scanners" is now due ${dayText('2027-01-15')} (it was ${dayText('2027-01-08')}).`,
    );
    expect(blocksText(moved?.blocks)).toContain('training.complete');
    expect(slack.messages(WARE).some((m) => m.text === moved?.text)).toBe(true);

    expect((await coe('training cancel TR-1', WORKER, 'C0GENERAL')).text).toBe(only);
    expect((await db.prisma.training.findUniqueOrThrow({ where: { number: 1 } })).cancelledAt).toBeNull();
    expect((await coe('training cancel TR-1')).text).toBe(
      'Cancelled: TR-1 "Restarting the handheld scanners". Its reminders stop, and its history stays. Everyone who had not completed it is told.',
    );
    expect((await db.prisma.training.findUniqueOrThrow({ where: { number: 1 } })).cancelledAt).toEqual(NOW);
    await flush();
    expect(dms(WORKER, /is cancelled: there is nothing more to do/)).toHaveLength(1);
    expect((await coe('training cancel TR-1')).text).toMatch(/is cancelled already/);
    await flush();
    expect(dms(WORKER, /is cancelled: there is nothing more to do/)).toHaveLength(1);
    expect((await coe('training cancel TR-7')).text).toBe('There is no TR-7.');
  });

  it('retires a standard: the CoE only; listed as retired, its teams told once, no more releases', async () => {
    expect((await coe('sop retire inventory-scanning', MGR, 'C0GENERAL')).text).toBe(
      'Only CoE members retire standards. Nothing was changed.',
    );
    expect((await db.prisma.sop.findUniqueOrThrow({ where: { key: 'inventory-scanning' } })).retiredAt).toBeNull();
    expect((await coe('sop retire inventory-scanning')).text).toMatch(/^Retired: SOP-inventory-scanning/);
    expect((await db.prisma.sop.findUniqueOrThrow({ where: { key: 'inventory-scanning' } })).retiredAt).toEqual(NOW);
    await flush();
    const notice =
      'SOP-inventory-scanning "Inventory scanning" is retired: it no longer applies. Questions about it go to the CoE.';
    expect(slack.messages(WARE).filter((m) => m.text === notice)).toHaveLength(1);
    expect((await coe('sop retire inventory-scanning')).text).toMatch(/is retired already/);
    await flush();
    expect(slack.messages(WARE).filter((m) => m.text === notice)).toHaveLength(1);
    expect((await coe('sop list', WORKER, 'C0GENERAL')).text).toBe('Standards: SOP-inventory-scanning v1.0 (retired)');
    // A release of it is refused before any form opens.
    const opened = slack.calls('views.open').length;
    expect((await coe('release inventory-scanning')).text).toBe(
      'SOP-inventory-scanning is retired: it takes no new releases. Nothing was published.',
    );
    expect(slack.calls('views.open')).toHaveLength(opened);
  });

  it('renames and archives a team: the CoE only; its channel told once each, no form offers it after', async () => {
    expect((await coe('team archive Warehouse', MGR, 'C0GENERAL')).text).toBe(
      'Only CoE members rename or archive teams or change who is in them. Nothing was changed.',
    );
    expect((await coe('team rename Warehouse to Stores')).text).toMatch(/^Renamed: Warehouse is now Stores/);
    expect((await coe('team rename Yard to Stores')).text).toMatch(/^There is no team "Yard"\./);
    expect((await coe('team archive Stores')).text).toMatch(/^Archived: Stores\./);
    expect((await db.prisma.team.findUniqueOrThrow({ where: { name: 'Stores' } })).archivedAt).toEqual(NOW);
    expect((await coe('team archive Stores')).text).toBe('Stores is archived already, since 2027-01-04.');
    await flush();
    const texts = slack.messages(WARE).map((m) => m.text);
    expect(texts.filter((t) => t?.startsWith('This team, Warehouse, is now called Stores.'))).toHaveLength(1);
    expect(texts.filter((t) => t?.startsWith('Stores is archived:'))).toHaveLength(1);
    const view = await openFrom('/friction', '', WORKER);
    expect(JSON.stringify(view)).not.toContain('Stores');
  });

  it('takes a member out of a team: the CoE only; they are told once', async () => {
    const removal = `team member remove ${mention(WORKER)} Warehouse`;
    expect((await coe(removal, MGR, 'C0GENERAL')).text).toBe(
      'Only CoE members rename or archive teams or change who is in them. Nothing was changed.',
    );
    expect(await db.prisma.teamMember.count()).toBe(1);
    expect((await coe(removal)).text).toMatch(/^Done: .+ is no longer in Warehouse\. They are told\.$/);
    expect(await db.prisma.teamMember.count()).toBe(0);
    expect((await coe(removal)).text).toMatch(/is not in Warehouse, so nothing changed\.$/);
    await flush();
    expect(dms(WORKER, /^You are no longer in Warehouse/)).toHaveLength(1);
  });

  it('ends a constraint: executives only; listed as ended, out of the change form, the CoE told once', async () => {
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
    expect((await coe(`role ${mention(EXEC)} executive`)).text).toMatch(/executive/);
    expect((await coe('constraint add priority Faster counts', EXEC, 'C0GENERAL')).text).toMatch(/^Done: EX-1/);
    const ended = async () => (await db.prisma.executiveConstraint.findUniqueOrThrow({ where: { number: 1 } })).endedAt;
    for (const user of [MGR, COE]) {
      expect((await coe('constraint end EX-1', user, 'C0GENERAL')).text).toBe(
        'Only executives end priorities, constraints and outcome targets. Nothing was changed.',
      );
    }
    expect(await ended()).toBeNull();
    expect((await coe('constraint end EX-9', EXEC, 'C0GENERAL')).text).toMatch(/^There is no EX-9\./);
    expect((await coe('constraint end EX-1', EXEC, 'C0GENERAL')).text).toMatch(/^Ended: EX-1 \(priority\)/);
    expect(await ended()).toEqual(NOW);
    await flush();
    const notice = (m: { text?: string }) => m.text?.startsWith('EX-1 (priority) "Faster counts" was ended early');
    expect(slack.messages(REVIEW).filter(notice)).toHaveLength(1);
    expect((await coe('constraint end EX-1', EXEC, 'C0GENERAL')).text).toBe('EX-1 was ended already, on 2027-01-04.');
    await flush();
    expect(slack.messages(REVIEW).filter(notice)).toHaveLength(1);
    const list = await coe('constraint list', WORKER, 'C0GENERAL');
    expect(list.text).toBe('No active executive priorities, constraints or targets.');
    expect(blocksText(list.blocks)).toContain('Faster counts (ended 2027-01-04)');
    const view = await openFrom('/change-request', '', MGR);
    expect(JSON.stringify(view)).not.toContain('EX-1');
  });

  it('kept every view and message it sent within the Block Kit limits', () => {
    const { views, problems } = story.blockKit();
    const callbacks = new Set(views.map((v) => v.callback_id));
    for (const id of [VIEWS.auditChangeForm, VIEWS.auditChangeConfirmation]) expect(callbacks, id).toContain(id);
    expect(problems).toEqual([]);
  });
});
