/**
 * Scheduled work through the real Bolt app (issue 5): training assigned with `/coe training assign` and its daily
 * reminders, audits planned with `/coe audit plan` and recorded from the owner's direct message, nudges about
 * friction reports left untriaged, and `/coe jobs` — signed HTTP requests in, a fake Slack Web API behind, on each
 * database, with the core's clock moved by the test and each job's fire run with `bot.scheduler.execute`.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { resultFields } from '../../src/domain/audit.ts';
import { AUDIT_ACTIONS, dayText, NUDGE_ACTIONS, TRAINING_ACTIONS } from '../../src/domain/schedule-messages.ts';
import { AUDIT_PLAN_BLOCKS, TRAINING_FORM_BLOCKS, VIEWS } from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import type { SlackMessage } from '../support/fake-slack-api.ts';
import { ManualClock } from '../support/memory.ts';
import { blocksText, dmChannel, element, mention, slackStory } from '../support/slack-harness.ts';
import type { InputValue } from '../support/slack-interactions.ts';

interface User {
  id: string;
  name: string;
}
const COE: User = { id: 'UCOE1', name: 'cora' };
const MGR: User = { id: 'UMGR1', name: 'mike' };
const WORKER: User = { id: 'UWORK1', name: 'wendy' };
/** Distinctive, and used by the training story only: finding them in a team channel means a name leaked. */
const TRAINEE_A: User = { id: 'UTRAINA7', name: 'tamsin' };
const TRAINEE_B: User = { id: 'UTRAINB8', name: 'barnaby' };
const REVIEW = 'C0REVIEW';
const WARE = 'C0WARE';

type Json = Record<string, unknown>;

/** The story's week, in UTC (the bot runs with TZ=UTC): Monday 4 January 2027 to Monday 11 January, and on. */
const MONDAY = '2027-01-04';
const FRIDAY = '2027-01-08';
/** How the messages write it (the platform's date format: "Fri 8 Jan 2027", or with a comma). */
const DUE = dayText(FRIDAY);
const DAY = 24 * 3600 * 1000;
const at = (date: string, time: string) => new Date(`${date}T${time}:00.000Z`);
const dayAfter = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);

const SCANNER_FRICTION = {
  'friction.kind': 'tool_friction',
  'friction.title': 'Inventory scanners fail after 30 minutes',
  'friction.description': 'The handheld scanners freeze after about half an hour and need a restart.',
  'friction.tool': 'Inventory scanner',
  'friction.frequency': 'daily',
  'friction.impact': 'high',
};

const CHECKLIST = ['Scanners restarted at shift start', 'Counts reconciled before noon', 'Spare scanner charged'];

describe.each(databaseKinds())('scheduled work in Slack (%s)', (kind: DatabaseKind) => {
  const clock = new ManualClock(at(MONDAY, '08:50'));
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW, clock, env: { TZ: 'UTC' } });
  const { coe, flush, openFrom, submit, press, waitForEphemeral, dms } = story;
  // The story's database, fake and bot (set before each test), by the names the tests use.
  let { db, slack, bot } = story;
  beforeEach(() => {
    ({ db, slack, bot } = story);
    clock.set(at(MONDAY, '08:50'));
  });

  /** The clock at `time` on `date`, then one fire of `job` at that instant, and what it queued delivered. */
  const fire = async (job: string, date: string, time: string) => {
    const when = at(date, time);
    clock.set(when);
    const ran = await bot.scheduler.execute(job, when);
    await flush();
    return ran;
  };

  const blockIds = (view: Json) => (view.blocks as Json[]).map((b) => b.block_id).filter(Boolean);
  /** The message as it would be if its button carried another value (from an older version, or forged). */
  const forged = (message: SlackMessage, actionId: string, value: string): SlackMessage => ({
    ...message,
    blocks: (message.blocks as Json[]).map((b) =>
      b.type !== 'actions'
        ? b
        : { ...b, elements: (b.elements as Json[]).map((e) => (e.action_id === actionId ? { ...e, value } : e)) },
    ),
  });

  const setUpReviewChannel = async () => {
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
  };
  const registerScanningSop = async () => {
    expect((await coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/SOP-inventory-scanning/);
  };
  /** The audit jobs follow the plans in the background: waits until the scheduler has exactly these. */
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

  describe('training', () => {
    const TRAINING_JOB = 'training-reminders';
    const reminderPattern = /^Reminder: training TR-1 /;
    const teamLines = () => slack.messages(WARE).filter((m) => m.text.startsWith('Training TR-1 '));

    /** A team with its channel and the two trainees, as the CoE sets it up. */
    const warehouseTeam = async () => {
      expect((await coe(`team add Warehouse Nord <#${WARE}|warehouse>`)).text).toMatch(/with its channel/);
      for (const trainee of [TRAINEE_A, TRAINEE_B]) {
        expect((await coe(`team member ${mention(trainee)} Warehouse Nord`)).text).toBe(
          `Done: ${trainee.name} is in Warehouse Nord.`,
        );
      }
      const team = await db.prisma.team.findFirstOrThrow({ where: { name: 'Warehouse Nord' } });
      expect(await db.prisma.teamMember.count({ where: { teamId: team.id } })).toBe(2);
      return team;
    };
    const assignForm = () => openFrom('/coe', 'training assign', COE);
    const scannerTraining = (teamId: number): Record<string, InputValue> => ({
      [TRAINING_FORM_BLOCKS.title]: 'Restarting the handheld scanners',
      [TRAINING_FORM_BLOCKS.material]: 'https://learn.example.com/scanners — ten minutes, with a quiz at the end.',
      [TRAINING_FORM_BLOCKS.sop]: 'inventory-scanning',
      [TRAINING_FORM_BLOCKS.teams]: [String(teamId)],
      [TRAINING_FORM_BLOCKS.layers]: [],
      [TRAINING_FORM_BLOCKS.due]: FRIDAY,
    });

    it('assigns TR-1 on Monday, due Friday: announced once, reminded on working days only, until done, snoozed, capped', async () => {
      await registerScanningSop();
      const team = await warehouseTeam();
      await flush();

      const view = await assignForm();
      expect(view.callback_id).toBe(VIEWS.trainingForm);
      expect([...blockIds(view)].sort()).toEqual([...Object.values(TRAINING_FORM_BLOCKS)].sort());
      expect(element(view, TRAINING_FORM_BLOCKS.material)).toMatchObject({ multiline: true, max_length: 2000 });
      expect((element(view, TRAINING_FORM_BLOCKS.sop).options as Json[]).map((o) => o.value)).toEqual([
        'inventory-scanning',
      ]);
      expect(element(view, TRAINING_FORM_BLOCKS.teams).options).toEqual([
        expect.objectContaining({ value: String(team.id), text: expect.objectContaining({ text: 'Warehouse Nord' }) }),
      ]);
      expect((element(view, TRAINING_FORM_BLOCKS.layers).options as Json[]).map((o) => o.value)).toEqual([
        'worker',
        'manager',
        'executive',
        'coe',
      ]);
      expect(element(view, TRAINING_FORM_BLOCKS.due)).toMatchObject({ type: 'datepicker', initial_date: '2027-01-11' });

      const ids = { viewId: 'VTRAINING', hash: '1.training' };
      const body = await submit(view, scannerTraining(team.id), COE, ids);
      expect(body.response_action, JSON.stringify(body)).toBe('update');
      expect((body.view as Json).callback_id).toBe(VIEWS.trainingConfirmation);
      expect(blocksText((body.view as Json).blocks)).toContain('TR-1');
      // Submitted twice (a double click on Assign): one training, announced once.
      expect((await submit(view, scannerTraining(team.id), COE, ids)).response_action).toBe('update');
      expect(await db.prisma.training.findMany()).toEqual([
        expect.objectContaining({
          number: 1,
          sopKey: 'inventory-scanning',
          sopMajor: 1,
          sopMinor: 0,
          teamIds: [team.id],
        }),
      ]);
      expect(await db.prisma.trainingAssignment.count()).toBe(2);
      await flush();
      const announcements = slack.calls('chat.postMessage').filter((c) => c.args.channel === WARE);
      expect(announcements).toHaveLength(1);
      expect(String(announcements[0]?.args.text)).toBe(
        `New training TR-1 for Warehouse Nord: Restarting the handheld scanners, due ${DUE}.`,
      );
      expect(blocksText(announcements[0]?.args.blocks)).toContain(TRAINING_ACTIONS.complete);
      // Assigned through the team: the announcement is the word, no direct message yet.
      expect(dms(TRAINEE_A, /TR-1/)).toHaveLength(0);
      expect(dms(TRAINEE_B, /TR-1/)).toHaveLength(0);

      // Monday 09:00, the day it was assigned: nothing.
      expect(await fire(TRAINING_JOB, MONDAY, '09:00')).toBe(true);
      expect(dms(TRAINEE_A, reminderPattern)).toHaveLength(0);
      expect(teamLines()).toHaveLength(0);

      // Tuesday 09:00: both reminded by direct message, and the team told how far it is.
      const tuesday = dayAfter(MONDAY, 1);
      expect(await fire(TRAINING_JOB, tuesday, '09:00')).toBe(true);
      for (const trainee of [TRAINEE_A, TRAINEE_B]) {
        expect(slack.calls('conversations.open').some((c) => c.args.users === trainee.id)).toBe(true);
        const [reminder] = dms(trainee, reminderPattern);
        expect(reminder?.text).toBe(
          `Reminder: training TR-1 is not marked complete yet: Restarting the handheld scanners, due ${DUE}.`,
        );
        expect(blocksText(reminder?.blocks)).toContain(TRAINING_ACTIONS.snooze);
      }
      expect(teamLines().map((m) => m.text)).toEqual([
        // Two people: no count, which would point at whoever has not done it (minimum group size).
        `Training TR-1 "Restarting the handheld scanners" (SOP-inventory-scanning v1.0) is due ${DUE} in Warehouse Nord: if it is yours, mark it complete once done.`,
      ]);
      // The same fire again, or another run the same day: nothing more.
      const sent = slack.calls('chat.postMessage').length;
      expect(await bot.scheduler.execute(TRAINING_JOB, at(tuesday, '09:00'))).toBe(false);
      expect(await fire(TRAINING_JOB, tuesday, '09:01')).toBe(true);
      expect(slack.calls('chat.postMessage')).toHaveLength(sent);

      // Tamsin marks it complete on the team's announcement; Barnaby snoozes his reminder.
      clock.set(at(tuesday, '09:30'));
      const announcement = slack.messages(WARE)[0] as SlackMessage;
      await press(TRAINEE_A, WARE, announcement, TRAINING_ACTIONS.complete);
      const done = await waitForEphemeral(
        TRAINEE_A,
        /Done: TR-1 "Restarting the handheld scanners" is marked complete/,
      );
      expect(done?.channel).toBe(WARE);
      await press(TRAINEE_A, WARE, announcement, TRAINING_ACTIONS.complete);
      await waitForEphemeral(TRAINEE_A, /You completed TR-1 already/);
      await press(COE, WARE, announcement, TRAINING_ACTIONS.complete);
      await waitForEphemeral(COE, /TR-1 is not assigned to you/);
      const [barnabys] = dms(TRAINEE_B, reminderPattern);
      await press(TRAINEE_B, dmChannel(TRAINEE_B), barnabys as SlackMessage, TRAINING_ACTIONS.snooze);
      const snoozed = await waitForEphemeral(TRAINEE_B, /Snoozed: no reminder about TR-1 before this time tomorrow/);
      expect(snoozed?.channel).toBe(dmChannel(TRAINEE_B));
      const tamsin = await db.prisma.platformIdentity.findFirstOrThrow({ where: { externalId: TRAINEE_A.id } });
      expect(
        await db.prisma.trainingAssignment.findMany({
          where: { completedAt: { not: null } },
          select: { personId: true },
        }),
      ).toEqual([{ personId: tamsin.personId }]);

      // Wednesday: Tamsin is done and Barnaby snoozed, so nobody; Thursday and Friday: Barnaby.
      expect(await fire(TRAINING_JOB, dayAfter(MONDAY, 2), '09:00')).toBe(true);
      expect(dms(TRAINEE_B, reminderPattern)).toHaveLength(1);
      expect(teamLines()).toHaveLength(1);
      for (const days of [3, 4]) expect(await fire(TRAINING_JOB, dayAfter(MONDAY, days), '09:00')).toBe(true);
      expect(dms(TRAINEE_B, reminderPattern)).toHaveLength(3);
      // A line on each day someone was reminded, never a count of the two.
      expect(teamLines()).toHaveLength(3);
      for (const line of teamLines()) expect(line.text).not.toMatch(/\d of \d/);

      // The weekend: outside working days, nothing; and next Monday Barnaby has had the 3 reminders he gets.
      const before = slack.calls('chat.postMessage').length;
      for (const days of [5, 6, 7]) expect(await fire(TRAINING_JOB, dayAfter(MONDAY, days), '09:00')).toBe(true);
      expect(slack.calls('chat.postMessage')).toHaveLength(before);
      expect(dms(TRAINEE_A, reminderPattern)).toHaveLength(1);
      expect(dms(TRAINEE_B, reminderPattern)).toHaveLength(3);
      const runs = await db.prisma.jobRun.findMany({ where: { job: TRAINING_JOB }, orderBy: { fireTime: 'asc' } });
      expect(runs).toHaveLength(9);
      expect(runs.every((r) => r.outcome === 'ok')).toBe(true);

      // The team channel only ever said how far the team is: never who.
      for (const m of slack.messages(WARE)) {
        for (const trainee of [TRAINEE_A, TRAINEE_B]) {
          expect(`${m.text} ${blocksText(m.blocks)}`).not.toContain(trainee.id);
          expect(`${m.text} ${blocksText(m.blocks)}`).not.toContain(trainee.name);
        }
      }

      // Each person sees their own; anyone sees the totals.
      const mine = await coe('training', TRAINEE_A, 'C0GENERAL');
      expect(mine.text).toBe('My training: 1');
      expect(blocksText(mine.blocks)).toContain('TR-1 · Completed');
      const barnabyMine = await coe('training mine', TRAINEE_B, 'C0GENERAL');
      expect(blocksText(barnabyMine.blocks)).toContain(`TR-1 · Due ${DUE}`);
      const status = await coe('training status TR-1', WORKER, 'C0GENERAL');
      expect(status.text).toBe('TR-1 Restarting the handheld scanners: completion is shown for groups of 5 or more.');
      expect(blocksText(status.blocks)).toContain('too few to show');
      expect(blocksText(status.blocks)).toContain('Warehouse Nord');
      expect(blocksText(status.blocks)).not.toContain(TRAINEE_A.name);
      expect((await coe('training status TR-9', WORKER, 'C0GENERAL')).text).toBe('There is no TR-9.');
      expect((await coe('training', WORKER, 'C0GENERAL')).text).toBe('You have no training assigned.');
    });

    it('refuses /coe training assign to a worker, and answers invalid forms under their inputs, storing nothing', async () => {
      const refused = await coe('training assign', WORKER, 'C0GENERAL');
      expect(refused.response_type).toBe('ephemeral');
      expect(refused.text).toBe('Only CoE members assign training. Nothing was changed.');
      expect(slack.calls('views.open')).toHaveLength(0);

      // No team, no standard yet: the form has neither input, and "pick teams or layers" goes under the layers.
      const bare = await assignForm();
      expect([...blockIds(bare)].sort()).toEqual(
        [
          TRAINING_FORM_BLOCKS.title,
          TRAINING_FORM_BLOCKS.material,
          TRAINING_FORM_BLOCKS.layers,
          TRAINING_FORM_BLOCKS.due,
        ].sort(),
      );
      expect(blocksText(bare.blocks)).toContain('No teams yet');
      expect(
        await submit(
          bare,
          { [TRAINING_FORM_BLOCKS.title]: 'Scanners', [TRAINING_FORM_BLOCKS.material]: 'https://learn.example.com' },
          COE,
        ),
      ).toEqual({
        response_action: 'errors',
        errors: { [TRAINING_FORM_BLOCKS.layers]: 'Pick the teams or the layers to train.' },
      });

      const team = await warehouseTeam();
      await registerScanningSop();
      const view = await assignForm();
      const valid = scannerTraining(team.id);
      expect(await submit(view, { ...valid, [TRAINING_FORM_BLOCKS.title]: '' }, COE)).toEqual({
        response_action: 'errors',
        errors: { [TRAINING_FORM_BLOCKS.title]: 'Please fill in a title.' },
      });
      // The core checks the date against its own today (Monday 4 January 2027 here).
      expect(await submit(view, { ...valid, [TRAINING_FORM_BLOCKS.due]: '2027-01-01' }, COE)).toEqual({
        response_action: 'errors',
        errors: { [TRAINING_FORM_BLOCKS.due]: 'The due date has passed already.' },
      });
      expect(await submit(view, { ...valid, [TRAINING_FORM_BLOCKS.teams]: [] }, COE)).toEqual({
        response_action: 'errors',
        errors: { [TRAINING_FORM_BLOCKS.teams]: 'Pick the teams or the layers to train.' },
      });
      expect(await submit(view, { ...valid, [TRAINING_FORM_BLOCKS.teams]: ['999'] }, COE)).toEqual({
        response_action: 'errors',
        errors: { [TRAINING_FORM_BLOCKS.teams]: 'There is no team "999".' },
      });
      expect(await submit(view, { ...valid, [TRAINING_FORM_BLOCKS.due]: null }, COE)).toEqual({
        response_action: 'errors',
        errors: { [TRAINING_FORM_BLOCKS.due]: 'Please pick the due date.' },
      });
      await flush();
      expect(await db.prisma.training.count()).toBe(0);
      expect(await db.prisma.trainingAssignment.count()).toBe(0);
      expect(slack.messages(WARE).filter((m) => m.text.includes('TR-'))).toHaveLength(0);

      // A layer alone will do: its people are told by direct message.
      const ok = await submit(
        view,
        { ...valid, [TRAINING_FORM_BLOCKS.teams]: [], [TRAINING_FORM_BLOCKS.layers]: ['coe'] },
        COE,
      );
      expect(ok.response_action).toBe('update');
      await flush();
      expect(dms(COE, /^You have a training to do: TR-1/)).toHaveLength(1);
      expect(slack.messages(WARE).filter((m) => m.text.includes('TR-'))).toHaveLength(0);
      // A worker cannot mark someone else's training, nor snooze it.
      const [dm] = dms(COE, /TR-1/);
      await press(WORKER, dmChannel(COE), dm as SlackMessage, TRAINING_ACTIONS.snooze);
      await waitForEphemeral(WORKER, /TR-1 is not assigned to you/);
    });
  });

  describe('audits', () => {
    const planForm = () => openFrom('/coe', 'audit plan', COE);
    const plan = (values: Partial<Record<keyof typeof AUDIT_PLAN_BLOCKS, InputValue>>) =>
      Object.fromEntries(
        Object.entries({
          schedule: '0 9 * * 1',
          checklist: CHECKLIST.map((item) => `- ${item}`).join('\n'),
          variance: '5',
          ...values,
        }).map(([field, value]) => [AUDIT_PLAN_BLOCKS[field as keyof typeof AUDIT_PLAN_BLOCKS], value]),
      );
    const results = (rows: [string | null, string | null][]) =>
      Object.fromEntries(
        rows.flatMap(([passed, variance], i) => [
          [resultFields(i).passed, passed],
          [resultFields(i).variance, variance],
        ]),
      );
    const auditDm = (user: User, id: string) =>
      dms(user, new RegExp(`^Audit ${id} of SOP-inventory-scanning v1\\.0 is due`));
    /** "Record results" in the owner's direct message → the results form opened on that press. */
    const openResults = async (user: User, owner: User, message: SlackMessage) => {
      const before = slack.calls('views.open').length;
      await press(user, dmChannel(owner), message, AUDIT_ACTIONS.record);
      const [call] = (await slack.waitForCalls('views.open', before + 1)).slice(before);
      return call?.args.view as Json;
    };

    it('plans AUD-1, sends its owner the checklist, and turns 12% against 5% into a draft change request', async () => {
      // Nothing to audit yet, and only the CoE plans.
      const none = await coe('audit plan');
      expect(none.response_type).toBe('ephemeral');
      expect(none.text).toMatch(
        /none is registered yet: register one first with `\/coe sop new &lt;key&gt; &lt;title&gt;`/,
      );
      expect((await coe('audit plan', WORKER, 'C0GENERAL')).text).toBe(
        'Only CoE members plan audits. Nothing was changed.',
      );
      expect(slack.calls('views.open')).toHaveLength(0);
      expect((await coe('audit list', WORKER, 'C0GENERAL')).text).toMatch(/^No audits planned yet/);

      await setUpReviewChannel();
      await registerScanningSop();
      const view = await planForm();
      expect(view.callback_id).toBe(VIEWS.auditPlanForm);
      expect([...blockIds(view)].sort()).toEqual([...Object.values(AUDIT_PLAN_BLOCKS)].sort());
      expect(element(view, AUDIT_PLAN_BLOCKS.sop).initial_option).toMatchObject({ value: 'inventory-scanning' });
      expect(element(view, AUDIT_PLAN_BLOCKS.owner).type).toBe('users_select');
      expect(blocksText(view.blocks)).toContain('cron: minute hour day month weekday, e.g. 0 9 * * 1');

      // Bad input comes back under its input, and nothing is planned.
      expect(await submit(view, plan({ schedule: 'every monday', variance: 'lots' }), COE)).toEqual({
        response_action: 'errors',
        errors: {
          [AUDIT_PLAN_BLOCKS.schedule]: expect.stringMatching(/"every monday" is not a cron expression/),
          [AUDIT_PLAN_BLOCKS.variance]: 'Give the acceptable variance in percent, 0 to 100.',
        },
      });
      expect(await submit(view, plan({ checklist: '' }), COE)).toEqual({
        response_action: 'errors',
        errors: { [AUDIT_PLAN_BLOCKS.checklist]: 'List what is checked, one item per line.' },
      });
      expect(await db.prisma.auditPlan.count()).toBe(0);

      const planIds = { viewId: 'VPLAN', hash: '1.plan' };
      const ok = await submit(view, plan({ owner: MGR.id }), COE, planIds);
      expect(ok.response_action, JSON.stringify(ok)).toBe('update');
      expect((ok.view as Json).callback_id).toBe(VIEWS.auditPlanConfirmation);
      expect(blocksText((ok.view as Json).blocks)).toContain(
        'Done: AUD-1 audits SOP-inventory-scanning v1.0 on \\"0 9 * * 1\\" (3 items, acceptable variance 5%)',
      );
      const owner = await db.prisma.platformIdentity.findFirstOrThrow({ where: { externalId: MGR.id } });
      expect(await db.prisma.auditPlan.findMany()).toEqual([
        expect.objectContaining({
          number: 1,
          sopKey: 'inventory-scanning',
          schedule: '0 9 * * 1',
          checklist: CHECKLIST,
          acceptableVariance: 5,
          ownerPersonId: owner.personId,
        }),
      ]);
      // Submitted twice (a double click on Plan): planned once.
      const twice = await submit(view, plan({ owner: MGR.id }), COE, planIds);
      expect(blocksText((twice.view as Json).blocks)).toContain('Done: AUD-1');
      expect(await db.prisma.auditPlan.count()).toBe(1);
      const list = await coe('audit list', WORKER, 'C0GENERAL');
      expect(list.text).toBe('Audits: AUD-1');

      // Its job fires next Monday at 09:00: the owner gets the checklist.
      await waitForAuditJobs({ 'audit:AUD-1': '0 9 * * 1' });
      const nextMonday = dayAfter(MONDAY, 7);
      expect(await fire('audit:AUD-1', nextMonday, '09:00')).toBe(true);
      const [due] = auditDm(MGR, 'AUD-1');
      expect(due?.text).toBe('Audit AUD-1 of SOP-inventory-scanning v1.0 is due: 3 items.');
      for (const item of CHECKLIST) expect(blocksText(due?.blocks)).toContain(item);
      const run = await db.prisma.auditRun.findFirstOrThrow({ where: { planNumber: 1 } });
      expect(blocksText(due?.blocks)).toContain(`"value":"${run.id}"`);

      // Someone else pressing it, or a button naming no run: refused privately, no form.
      const opened = slack.calls('views.open').length;
      await press(MGR, dmChannel(MGR), forged(due as SlackMessage, AUDIT_ACTIONS.record, 'abc'), AUDIT_ACTIONS.record);
      await waitForEphemeral(MGR, /That audit run is not known\. Nothing was recorded\./);
      await press(WORKER, dmChannel(MGR), due as SlackMessage, AUDIT_ACTIONS.record);
      await waitForEphemeral(WORKER, /Only the owner of AUD-1 or a CoE member records its results/);
      expect(slack.calls('views.open')).toHaveLength(opened);

      // The owner: a form with each item's pass / fail and variance.
      const form = await openResults(MGR, MGR, due as SlackMessage);
      expect(form.callback_id).toBe(VIEWS.auditResultsForm);
      expect(JSON.parse(String(form.private_metadata))).toEqual({ run: String(run.id) });
      expect((form.blocks as Json[])[0]?.type).toBe('header');
      expect(blockIds(form)).toEqual(
        CHECKLIST.flatMap((_item, i) => [resultFields(i).passed, resultFields(i).variance]),
      );
      expect((element(form, resultFields(0).passed).options as Json[]).map((o) => o.value)).toEqual(['pass', 'fail']);
      expect(blocksText(form.blocks)).toContain('1. Scanners restarted at shift start');

      expect(
        await submit(
          form,
          results([
            [null, '2'],
            ['pass', 'abc'],
            ['fail', '3'],
          ]),
          MGR,
        ),
      ).toEqual({
        response_action: 'errors',
        errors: {
          [resultFields(0).passed]: 'Choose pass or fail.',
          [resultFields(1).variance]: 'Give the measured variance in percent, like 3.5.',
        },
      });
      expect((await db.prisma.auditRun.findUniqueOrThrow({ where: { id: run.id } })).recordedAt).toBeNull();

      // A form whose metadata is not ours records nothing.
      expect(
        await submit(
          { ...form, private_metadata: '{"run":"x"}' },
          results([
            ['pass', '2'],
            ['pass', '1'],
            ['pass', '1'],
          ]),
          MGR,
        ),
      ).toEqual({
        response_action: 'errors',
        errors: { [resultFields(0).passed]: 'The form arrived incomplete, so nothing was stored. Please try again.' },
      });
      const ids = { viewId: 'VRESULTS', hash: '1.results' };
      const recorded = await submit(
        form,
        results([
          ['pass', '2'],
          ['pass', '12'],
          ['fail', '3'],
        ]),
        MGR,
        ids,
      );
      expect(recorded.response_action, JSON.stringify(recorded)).toBe('update');
      expect((recorded.view as Json).callback_id).toBe(VIEWS.auditResultsConfirmation);
      expect(blocksText((recorded.view as Json).blocks)).toContain(
        'AUD-1 of SOP-inventory-scanning, audited against v1.0 (the current version): 2 passed, 1 failed, largest variance 12% (acceptable 5%).',
      );
      expect(blocksText((recorded.view as Json).blocks)).toContain('CR-1 is drafted for the CoE');
      // The same submission again (a retry, a double click): the first outcome again, recorded once, one redesign.
      const again = await submit(
        form,
        results([
          ['pass', '2'],
          ['pass', '12'],
          ['fail', '3'],
        ]),
        MGR,
        ids,
      );
      expect(again.response_action).toBe('update');
      expect(blocksText((again.view as Json).blocks)).toContain('CR-1 is drafted for the CoE');
      await flush();

      expect(await db.prisma.auditRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
        maxVariance: 12,
        breach: true,
        changeNumber: 1,
        recordedByPersonId: owner.personId,
      });
      expect(await db.prisma.changeRequest.findMany()).toEqual([
        expect.objectContaining({ number: 1, status: 'draft', sopKey: 'inventory-scanning', kind: 'workflow' }),
      ]);
      const reviews = slack.messages(REVIEW).filter((m) => m.thread_ts === undefined && m.text.startsWith('CR-1 '));
      expect(reviews.map((m) => m.text)).toEqual([
        'CR-1 draft: Redesign after AUD-1: variance 12% &gt; 5% (SOP-inventory-scanning)',
      ]);
      expect(blocksText(reviews[0]?.blocks)).toContain(`audit AUD-1, run ${run.id}`);

      // The standard shows its audit and the breach.
      const shown = await coe('sop show inventory-scanning', WORKER, 'C0GENERAL');
      const shownText = blocksText(shown.blocks);
      expect(shownText).toContain('*Audits*');
      expect(shownText).toContain('AUD-1 · v1.0 · 0 9 * * 1');
      expect(shownText).toContain(`AUD-1 · ${nextMonday}`);
      expect(shownText).toContain('variance 12% on v1.0 — breach, redesign CR-1');

      // A second plan, owned by whoever planned it, recorded within 5%: no redesign.
      const second = await submit(await planForm(), plan({ variance: '5%' }), COE);
      expect(blocksText((second.view as Json).blocks)).toContain('Done: AUD-2');
      await waitForAuditJobs({ 'audit:AUD-1': '0 9 * * 1', 'audit:AUD-2': '0 9 * * 1' });
      expect(await fire('audit:AUD-2', dayAfter(MONDAY, 14), '09:00')).toBe(true);
      const [secondDue] = auditDm(COE, 'AUD-2');
      const secondForm = await openResults(COE, COE, secondDue as SlackMessage);
      const within = await submit(
        secondForm,
        results([
          ['pass', '4'],
          ['pass', '5'],
          ['pass', '0'],
        ]),
        COE,
      );
      expect(blocksText((within.view as Json).blocks)).toContain('Within the acceptable variance. Thank you.');
      await flush();
      expect(await db.prisma.changeRequest.count()).toBe(1);
      expect(await db.prisma.auditRun.count({ where: { breach: false } })).toBe(1);

      // `/coe audit run`: a run now, for the CoE only.
      expect((await coe('audit run AUD-1', WORKER, 'C0GENERAL')).text).toBe(
        'Only CoE members plan audits. Nothing was changed.',
      );
      expect((await coe('audit run AUD-1')).text).toBe('AUD-1: a run is open, and its owner has the checklist.');
      await flush();
      expect(auditDm(MGR, 'AUD-1')).toHaveLength(2);
      expect((await coe('audit run AUD-7')).text).toBe('There is no AUD-7.');
    });
  });

  describe('stale nudges', () => {
    const NUDGE_JOB = 'stale-nudges';
    const nudges = () =>
      slack.messages(REVIEW).filter((m) => /^FR-1 ".*" has waited \d+ working days for triage\.$/.test(m.text));

    it('raises an untriaged report in the CoE channel once a working day, at most 3 times, snoozed a week by the CoE', async () => {
      await setUpReviewChannel();
      clock.set(at(MONDAY, '09:30'));
      const form = await openFrom('/friction', '', WORKER);
      expect((await submit(form, SCANNER_FRICTION, WORKER)).response_action).toBe('update');
      await flush();
      expect(slack.messages(REVIEW).filter((m) => m.text.startsWith('FR-1 '))).toHaveLength(1);

      const nudgedOn = async (days: number) => {
        const before = nudges().length;
        expect(await fire(NUDGE_JOB, dayAfter(MONDAY, days), '10:00')).toBe(true);
        return nudges().length - before;
      };
      // Reported Monday: 2 working days by Wednesday, more than 2 on Thursday.
      expect([await nudgedOn(1), await nudgedOn(2)]).toEqual([0, 0]);
      expect(await nudgedOn(3)).toBe(1);
      expect(nudges().at(-1)?.text).toBe(
        'FR-1 "Inventory scanners fail after 30 minutes" has waited 3 working days for triage.',
      );
      expect(await nudgedOn(4)).toBe(1);
      // The weekend: never.
      expect([await nudgedOn(5), await nudgedOn(6)]).toEqual([0, 0]);
      expect(await nudgedOn(7)).toBe(1);
      // Three times a day apart; then weekly.
      expect([await nudgedOn(8), await nudgedOn(9), await nudgedOn(10)]).toEqual([0, 0, 0]);

      // Snooze a week: a worker cannot; the CoE can.
      clock.set(at(dayAfter(MONDAY, 10), '10:05'));
      const latest = nudges().at(-1) as SlackMessage;
      expect(blocksText(latest.blocks)).toContain(NUDGE_ACTIONS.snooze);
      await press(WORKER, REVIEW, latest, NUDGE_ACTIONS.snooze);
      await waitForEphemeral(WORKER, /Only the CoE \(or the report’s owner\) can snooze this\. Nothing was changed\./);
      expect(await db.prisma.nudge.findFirst({ where: { snoozedUntil: { not: null } } })).toBeNull();
      await press(COE, REVIEW, forged(latest, NUDGE_ACTIONS.snooze, 'FR-1'), NUDGE_ACTIONS.snooze);
      await waitForEphemeral(COE, /That button is out of date\. Nothing was changed\./);
      await press(COE, REVIEW, latest, NUDGE_ACTIONS.snooze);
      const snoozed = await waitForEphemeral(COE, /Snoozed: no nudge about FR-1 for a week/);
      expect(snoozed?.channel).toBe(REVIEW);
      expect(await db.prisma.nudge.findUniqueOrThrow({ where: { key: 'FR-1:untriaged' } })).toMatchObject({
        count: 3,
        snoozedUntil: new Date(at(dayAfter(MONDAY, 10), '10:05').getTime() + 7 * DAY),
      });

      // Monday 11 January + 7 = Monday 18th would be its weekly day: snoozed until Thursday 21st 10:05.
      const quiet = [];
      for (const days of [14, 15, 16, 17]) quiet.push(await nudgedOn(days));
      expect(quiet).toEqual([0, 0, 0, 0]);
      expect(await nudgedOn(18)).toBe(1);
      expect(nudges()).toHaveLength(4);
      expect(await db.prisma.frictionReport.findUniqueOrThrow({ where: { number: 1 } })).toMatchObject({
        status: 'new',
      });
    });
  });

  describe('jobs', () => {
    it('shows the CoE each job with its schedule and last outcome; a worker is refused', async () => {
      await registerScanningSop();
      const submitted = await submit(
        await openFrom('/coe', 'audit plan', COE),
        {
          [AUDIT_PLAN_BLOCKS.schedule]: '30 9 * * 1-5',
          [AUDIT_PLAN_BLOCKS.checklist]: 'Scanners restarted at shift start',
          [AUDIT_PLAN_BLOCKS.variance]: '5',
        },
        COE,
      );
      expect(submitted.response_action).toBe('update');
      await waitForAuditJobs({ 'audit:AUD-1': '30 9 * * 1-5' });
      expect(await fire('training-reminders', MONDAY, '09:00')).toBe(true);
      expect(await fire('audit:AUD-1', MONDAY, '09:30')).toBe(true);
      expect(await fire('stale-nudges', MONDAY, '10:00')).toBe(true);
      // The embedded database's upkeep, which Postgres' autovacuum does on its own.
      const upkeep = kind === 'pglite' ? 'database-maintenance (ok), ' : '';
      if (kind === 'pglite') expect(await fire('database-maintenance', MONDAY, '03:30')).toBe(true);
      else await expect(bot.scheduler.execute('database-maintenance', at(MONDAY, '03:30'))).rejects.toThrow();

      expect((await coe('jobs', WORKER, 'C0GENERAL')).text).toBe('Only CoE members see the scheduled jobs.');
      const board = await coe('jobs');
      expect(board.text).toBe(
        `Scheduled jobs: audit:AUD-1 (ok), constraint-summary (not run yet), ${upkeep}metrics-digest (not run yet), stale-nudges (ok), training-reminders (ok)`,
      );
      const text = blocksText(board.blocks);
      expect(text).toContain('audit:AUD-1 · 30 9 * * 1-5 (UTC)');
      expect(text).toContain('last 2027-01-04 09:30 UTC: ok');
      expect(text).toContain('stale-nudges · 0 10 * * * (UTC)');
      expect(text).toContain('last 2027-01-04 10:00 UTC: ok');
      expect(text).toContain('training-reminders · 0 9 * * * (UTC)');
      expect(text).toContain('last 2027-01-04 09:00 UTC: ok');
    });
  });

  it('kept every view and message it sent within the Block Kit limits', () => {
    const { views, messages, problems } = story.blockKit();
    const callbacks = new Set(views.map((v) => v.callback_id));
    for (const id of [
      VIEWS.trainingForm,
      VIEWS.trainingConfirmation,
      VIEWS.auditPlanForm,
      VIEWS.auditPlanConfirmation,
      VIEWS.auditResultsForm,
      VIEWS.auditResultsConfirmation,
    ]) {
      expect(callbacks, id).toContain(id);
    }
    expect(messages.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
