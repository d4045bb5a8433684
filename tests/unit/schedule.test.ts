/**
 * The scheduled part of the loop as pure domain: working days and hours in a time zone (DST included), trainings and
 * when a reminder is due, audit plans and results and what breaches them, how often a stale item is nudged, and the
 * messages of all of it — rendered for both platforms within Block Kit's limits and as valid Adaptive Cards 1.5.
 */
import { describe, expect, it } from 'vitest';
import {
  assessAudit,
  parseAuditId,
  parsePercent,
  redesignDraft,
  resultFields,
  validateAuditPlan,
  validateAuditResults,
} from '../../src/domain/audit.ts';
import {
  addDays,
  DEFAULT_WORK_CALENDAR,
  daysBetween,
  isWorkingDay,
  isWorkingTime,
  localTime,
  parseWorkDays,
  parseWorkHours,
  type WorkCalendar,
  workingDaysSince,
} from '../../src/domain/calendar.ts';
import type { Message, MessageAction } from '../../src/domain/message.ts';
import { nudgeDue, STALE_POLICY, STALE_SNOOZE_MS } from '../../src/domain/nudges.ts';
import {
  AUDIT_ACTIONS,
  type AuditView,
  auditDueMessage,
  auditRecordedMessage,
  auditSection,
  dayText,
  jobsMessage,
  myTrainingsMessage,
  NUDGE_ACTIONS,
  staleNudgeMessage,
  TRAINING_ACTIONS,
  type TrainingView,
  teamTrainingReminder,
  trainingAnnouncement,
  trainingReminder,
  trainingSection,
  trainingStatusMessage,
} from '../../src/domain/schedule-messages.ts';
import {
  parseTrainingId,
  type ReminderState,
  reminderDue,
  SNOOZE_MS,
  TRAINING_LIMITS,
  validateTraining,
} from '../../src/domain/training.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';

const at = (iso: string) => new Date(iso);
const berlin: WorkCalendar = { ...DEFAULT_WORK_CALENDAR, timeZone: 'Europe/Berlin' };
const utc: WorkCalendar = { ...DEFAULT_WORK_CALENDAR, timeZone: 'UTC' };
const actionsOf = (message: Message): MessageAction[] =>
  message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
const textOf = (message: Message) => JSON.stringify(message);

describe('the work calendar', () => {
  it.each([
    ['2026-12-01T08:30:00Z', 'UTC', { date: '2026-12-01', weekday: 2, minutes: 8 * 60 + 30 }],
    ['2026-12-01T08:30:00Z', 'Europe/Berlin', { date: '2026-12-01', weekday: 2, minutes: 9 * 60 + 30 }],
    ['2026-12-01T03:00:00Z', 'America/New_York', { date: '2026-11-30', weekday: 1, minutes: 22 * 60 }],
    ['2026-12-01T03:00:00Z', 'Asia/Kolkata', { date: '2026-12-01', weekday: 2, minutes: 8 * 60 + 30 }],
    ['2026-12-04T12:00:00Z', 'Pacific/Auckland', { date: '2026-12-05', weekday: 6, minutes: 60 }],
    ['2026-12-06T23:00:00Z', 'Europe/Berlin', { date: '2026-12-07', weekday: 1, minutes: 0 }],
  ] as const)('localTime(%s) in %s', (instant, zone, expected) => {
    expect(localTime(at(instant), zone)).toEqual(expected);
  });

  describe('Europe/Berlin across daylight saving time', () => {
    it('moves the clock forward on the last Sunday of March (01:00 UTC: 02:00 → 03:00)', () => {
      expect(localTime(at('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toMatchObject({
        date: '2026-03-29',
        minutes: 119,
      });
      expect(localTime(at('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toMatchObject({
        date: '2026-03-29',
        minutes: 180,
      });
      // Friday before: UTC+1, so 09:00 local is 08:00 UTC.
      expect(isWorkingTime(at('2026-03-27T07:59:00Z'), berlin)).toBe(false);
      expect(isWorkingTime(at('2026-03-27T08:00:00Z'), berlin)).toBe(true);
      expect(isWorkingTime(at('2026-03-27T15:59:00Z'), berlin)).toBe(true);
      expect(isWorkingTime(at('2026-03-27T16:00:00Z'), berlin)).toBe(false);
      // The Sunday itself is no working day whatever the hour.
      expect(isWorkingTime(at('2026-03-29T09:00:00Z'), berlin)).toBe(false);
      // Monday after: UTC+2, so 09:00 local is 07:00 UTC and 17:00 local is 15:00 UTC.
      expect(isWorkingTime(at('2026-03-30T06:59:00Z'), berlin)).toBe(false);
      expect(isWorkingTime(at('2026-03-30T07:00:00Z'), berlin)).toBe(true);
      expect(isWorkingTime(at('2026-03-30T14:59:00Z'), berlin)).toBe(true);
      expect(isWorkingTime(at('2026-03-30T15:00:00Z'), berlin)).toBe(false);
    });

    it('moves it back on the last Sunday of October (01:00 UTC: 03:00 → 02:00)', () => {
      expect(localTime(at('2026-10-25T00:59:00Z'), 'Europe/Berlin')).toMatchObject({
        date: '2026-10-25',
        minutes: 179,
      });
      expect(localTime(at('2026-10-25T01:00:00Z'), 'Europe/Berlin')).toMatchObject({
        date: '2026-10-25',
        minutes: 120,
      });
      // Friday before: UTC+2.
      expect(isWorkingTime(at('2026-10-23T06:59:00Z'), berlin)).toBe(false);
      expect(isWorkingTime(at('2026-10-23T07:00:00Z'), berlin)).toBe(true);
      // Monday after: UTC+1.
      expect(isWorkingTime(at('2026-10-26T07:00:00Z'), berlin)).toBe(false);
      expect(isWorkingTime(at('2026-10-26T07:59:00Z'), berlin)).toBe(false);
      expect(isWorkingTime(at('2026-10-26T08:00:00Z'), berlin)).toBe(true);
      expect(isWorkingTime(at('2026-10-26T15:59:00Z'), berlin)).toBe(true);
      expect(isWorkingTime(at('2026-10-26T16:00:00Z'), berlin)).toBe(false);
    });
  });

  it('knows working time in UTC: weekdays from 09:00 to before 17:00', () => {
    expect(isWorkingTime(at('2026-12-07T09:00:00Z'), utc)).toBe(true); // Monday
    expect(isWorkingTime(at('2026-12-07T08:59:59Z'), utc)).toBe(false);
    expect(isWorkingTime(at('2026-12-07T16:59:00Z'), utc)).toBe(true);
    expect(isWorkingTime(at('2026-12-07T17:00:00Z'), utc)).toBe(false);
    expect(isWorkingTime(at('2026-12-05T10:00:00Z'), utc)).toBe(false); // Saturday
    expect(isWorkingTime(at('2026-12-06T10:00:00Z'), utc)).toBe(false); // Sunday
  });

  it('follows a calendar of other days and hours', () => {
    // Sunday to Thursday, 08:00-16:00, in Jerusalem (UTC+2 in December).
    const jerusalem: WorkCalendar = {
      timeZone: 'Asia/Jerusalem',
      days: [0, 1, 2, 3, 4],
      start: 8 * 60,
      end: 16 * 60,
    };
    expect(isWorkingTime(at('2026-12-06T06:00:00Z'), jerusalem)).toBe(true); // Sunday 08:00
    expect(isWorkingTime(at('2026-12-04T08:00:00Z'), jerusalem)).toBe(false); // Friday 10:00
    expect(isWorkingTime(at('2026-12-07T13:59:00Z'), jerusalem)).toBe(true); // Monday 15:59
    expect(isWorkingTime(at('2026-12-07T14:00:00Z'), jerusalem)).toBe(false); // Monday 16:00
    expect(isWorkingDay('2026-12-06', jerusalem)).toBe(true);
    expect(isWorkingDay('2026-12-05', jerusalem)).toBe(false);
  });

  describe('workingDaysSince', () => {
    // 2026-12-07 is a Monday.
    it.each([
      ['Monday → Monday', '2026-12-07T10:00:00Z', '2026-12-07T16:00:00Z', 0],
      ['Monday → Tuesday', '2026-12-07T10:00:00Z', '2026-12-08T09:00:00Z', 1],
      ['Monday → Wednesday', '2026-12-07T10:00:00Z', '2026-12-09T09:00:00Z', 2],
      ['Monday → Thursday', '2026-12-07T10:00:00Z', '2026-12-10T09:00:00Z', 3],
      ['Thursday → Monday, across the weekend', '2026-12-10T10:00:00Z', '2026-12-14T09:00:00Z', 2],
      ['Thursday → Tuesday, across the weekend', '2026-12-10T10:00:00Z', '2026-12-15T09:00:00Z', 3],
      ['Friday → Sunday', '2026-12-11T16:00:00Z', '2026-12-13T12:00:00Z', 0],
      ['Saturday → Monday', '2026-12-12T12:00:00Z', '2026-12-14T12:00:00Z', 1],
      ['Monday → Monday a week later', '2026-12-07T10:00:00Z', '2026-12-14T10:00:00Z', 5],
      ['later → earlier', '2026-12-10T10:00:00Z', '2026-12-07T10:00:00Z', 0],
    ])('%s = %i', (_name, from, to, expected) => {
      expect(workingDaysSince(at(from), at(to), utc)).toBe(expected);
    });

    it('counts dates in the calendar’s time zone', () => {
      // Monday 23:30 UTC is already Tuesday 00:30 in Berlin: Berlin counts from Tuesday.
      expect(workingDaysSince(at('2026-12-07T23:30:00Z'), at('2026-12-10T09:00:00Z'), utc)).toBe(3);
      expect(workingDaysSince(at('2026-12-07T23:30:00Z'), at('2026-12-10T09:00:00Z'), berlin)).toBe(2);
    });

    it('stays bounded for dates far apart', () => {
      expect(workingDaysSince(at('2020-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), utc)).toBeLessThanOrEqual(366);
    });
  });

  it('adds days and counts them between dates, across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(daysBetween('2026-12-28', '2027-01-04')).toBe(7);
    expect(daysBetween('2026-03-27', '2026-03-30')).toBe(3);
  });

  describe('parseWorkDays', () => {
    it.each([
      ['mon-fri', [1, 2, 3, 4, 5]],
      ['Mon-Fri', [1, 2, 3, 4, 5]],
      ['1-5', [1, 2, 3, 4, 5]],
      ['mon,tue,thu', [1, 2, 4]],
      [' mon , wed ', [1, 3]],
      ['monday-friday', [1, 2, 3, 4, 5]],
      ['tues,thurs', [2, 4]],
      ['sun-thu', [0, 1, 2, 3, 4]],
      ['sat-mon', [0, 1, 6]],
      ['fri', [5]],
      ['0,6', [0, 6]],
      ['mon-wed,fri', [1, 2, 3, 5]],
    ])('reads %j', (text, days) => {
      expect(parseWorkDays(text)).toEqual(days);
    });

    it.each(['', 'weekdays', 'mo-fr', 'mon-fri-sat', '7', '1-8', 'mon,,fri', 'monkey', 'fridays', 'mon-'])(
      'refuses %j',
      (text) => {
        expect(parseWorkDays(text)).toBeUndefined();
      },
    );
  });

  describe('parseWorkHours', () => {
    it.each([
      ['09:00-17:00', { start: 540, end: 1020 }],
      [' 9:30 - 16:45 ', { start: 570, end: 1005 }],
      ['00:00-24:00', { start: 0, end: 1440 }],
      ['08:00-08:01', { start: 480, end: 481 }],
    ])('reads %j', (text, hours) => {
      expect(parseWorkHours(text)).toEqual(hours);
    });

    it.each(['', '9-17', '17:00-09:00', '09:00-09:00', '25:00-26:00', '09:60-10:00', '09:00-24:30', 'nine to five'])(
      'refuses %j',
      (text) => {
        expect(parseWorkHours(text)).toBeUndefined();
      },
    );
  });
});

describe('trainings', () => {
  const teams = [
    { id: 1, name: 'Warehouse' },
    { id: 2, name: 'Night Shift' },
  ];
  const context = { sops: ['inventory-scanning'], teams, today: '2026-12-07' };
  const form = (over: Record<string, unknown> = {}) => ({
    title: 'Scanner charging',
    material: 'https://wiki.example.com/scanners',
    sop: 'SOP-inventory-scanning',
    teams: ['Warehouse'],
    layers: [],
    due: '2026-12-11',
    ...over,
  });
  const errorsOf = (raw: Record<string, unknown>) => {
    const result = validateTraining(raw, context);
    if (result.ok) throw new Error(`accepted ${JSON.stringify(raw)}`);
    return result.errors;
  };

  it('accepts a complete form: the standard by key, teams by name or id, layers, and the due date', () => {
    expect(validateTraining(form({ teams: ['warehouse', '2', 'Warehouse'], layers: 'Manager, coe' }), context)).toEqual(
      {
        ok: true,
        value: {
          title: 'Scanner charging',
          material: 'https://wiki.example.com/scanners',
          sopKey: 'inventory-scanning',
          teamIds: [1, 2],
          layers: ['manager', 'coe'],
          dueOn: '2026-12-11',
        },
      },
    );
    // Teams' multi-select arrives as "a,b"; the standard is optional; due today is fine.
    expect(validateTraining(form({ teams: '1,2', sop: undefined, due: '2026-12-07' }), context)).toEqual({
      ok: true,
      value: expect.not.objectContaining({ sopKey: expect.anything() }),
    });
  });

  it.each([
    ['an empty title', { title: '   ' }, { title: 'Please fill in a title.' }],
    ['a missing title', { title: undefined }, { title: 'Please fill in a title.' }],
    [
      'a title too long',
      { title: 'x'.repeat(TRAINING_LIMITS.title + 1) },
      { title: `Keep the title under ${TRAINING_LIMITS.title} characters.` },
    ],
    ['no material', { material: '' }, { material: 'Please give a link or the material.' }],
    ['an unknown team', { teams: ['Warehouse', 'Dock'] }, { teams: 'There is no team "Dock".' }],
    [
      'an unknown layer',
      { teams: [], layers: ['boss'] },
      { layers: '"boss" is not a layer: worker, manager, executive or coe.' },
    ],
    ['neither team nor layer', { teams: [], layers: [] }, { teams: 'Pick the teams or the layers to train.' }],
    ['a due date passed', { due: '2026-12-06' }, { due: 'The due date has passed already.' }],
    ['a due date that is no date', { due: '11/12/2026' }, { due: 'Give the due date as YYYY-MM-DD.' }],
    ['no due date', { due: '' }, { due: 'Please pick the due date.' }],
    ['an unknown SOP', { sop: 'returns' }, { sop: 'There is no SOP-returns.' }],
  ])('refuses %s', (_name, over, errors) => {
    expect(errorsOf(form(over))).toEqual(errors);
  });

  it('names every problem of a form at once', () => {
    expect(Object.keys(errorsOf(form({ sop: 'returns', teams: ['Dock'], due: '2020-01-01' }))).sort()).toEqual([
      'due',
      'sop',
      'teams',
    ]);
  });

  it('reads training ids', () => {
    expect(parseTrainingId('TR-3')).toBe(3);
    expect(parseTrainingId(' tr3 ')).toBe(3);
    expect(parseTrainingId('12')).toBe(12);
    expect(parseTrainingId('CR-3')).toBeUndefined();
    expect(parseTrainingId('TR-')).toBeUndefined();
  });

  describe('reminderDue', () => {
    const now = at('2026-12-08T09:00:00Z');
    const state = (over: Partial<ReminderState> = {}): ReminderState => ({
      completed: false,
      nudges: 0,
      lastOn: null,
      snoozedUntil: null,
      assignedOn: '2026-12-07',
      ...over,
    });

    it('reminds from the day after the assignment', () => {
      expect(reminderDue(state(), '2026-12-08', now, 3)).toBe(true);
      expect(reminderDue(state({ assignedOn: '2026-12-08' }), '2026-12-08', now, 3)).toBe(false);
    });

    it('never twice a day, never past the cap, never once completed', () => {
      expect(reminderDue(state({ lastOn: '2026-12-08', nudges: 1 }), '2026-12-08', now, 3)).toBe(false);
      expect(reminderDue(state({ lastOn: '2026-12-07', nudges: 2 }), '2026-12-08', now, 3)).toBe(true);
      expect(reminderDue(state({ lastOn: '2026-12-07', nudges: 3 }), '2026-12-08', now, 3)).toBe(false);
      expect(reminderDue(state(), '2026-12-08', now, 0)).toBe(false);
      expect(reminderDue(state({ completed: true }), '2026-12-08', now, 3)).toBe(false);
    });

    it('not while snoozed: a snooze lasts 24 hours', () => {
      expect(SNOOZE_MS).toBe(24 * 3600 * 1000);
      const snoozedAt = at('2026-12-08T09:30:00Z');
      const until = new Date(snoozedAt.getTime() + SNOOZE_MS);
      expect(reminderDue(state({ snoozedUntil: until }), '2026-12-09', at('2026-12-09T09:00:00Z'), 3)).toBe(false);
      expect(reminderDue(state({ snoozedUntil: until }), '2026-12-10', at('2026-12-10T09:00:00Z'), 3)).toBe(true);
    });
  });
});

describe('audits', () => {
  const sops = ['inventory-scanning'];
  const validSchedule = (e: string) => /^(\S+ ){4}\S+$/.test(e) && !e.includes('x');
  const plan = (over: Record<string, unknown> = {}) => ({
    sop: 'SOP-inventory-scanning',
    schedule: '0 9 * * 1',
    checklist: '- Scanners on the charger\n2. Counts match the system\n\n  * Spare batteries stocked  ',
    variance: '5%',
    ...over,
  });
  const errorsOf = (raw: Record<string, unknown>) => {
    const result = validateAuditPlan(raw, { sops, validSchedule });
    if (result.ok) throw new Error(`accepted ${JSON.stringify(raw)}`);
    return result.errors;
  };

  it('accepts a plan: the standard, the schedule with its spaces tidied, one item per line, the variance', () => {
    expect(validateAuditPlan(plan({ schedule: ' 0  9 * *   1 ' }), { sops, validSchedule })).toEqual({
      ok: true,
      value: {
        sopKey: 'inventory-scanning',
        schedule: '0 9 * * 1',
        checklist: ['Scanners on the charger', 'Counts match the system', 'Spare batteries stocked'],
        acceptableVariance: 5,
      },
    });
    expect(validateAuditPlan(plan({ variance: 0 }), { sops, validSchedule })).toMatchObject({
      ok: true,
      value: { acceptableVariance: 0 },
    });
    expect(
      validateAuditPlan(plan({ checklist: Array.from({ length: 15 }, (_, i) => `item ${i}`).join('\n') }), {
        sops,
        validSchedule,
      }),
    ).toMatchObject({ ok: true });
  });

  it.each([
    ['a bad cron expression', { schedule: 'every monday' }, 'schedule', /is not a cron expression/],
    ['a cron expression the scheduler refuses', { schedule: '0 9 * * x' }, 'schedule', /is not a cron expression/],
    ['no schedule', { schedule: '' }, 'schedule', /Give the schedule as a cron expression/],
    ['an empty checklist', { checklist: '\n  \n- \n' }, 'checklist', /one item per line/],
    [
      'more than 15 items',
      { checklist: Array.from({ length: 16 }, (_, i) => `item ${i}`).join('\n') },
      'checklist',
      /Keep it to 15 items/,
    ],
    ['an item too long', { checklist: 'x'.repeat(151) }, 'checklist', /under 150 characters/],
    ['a variance of abc', { variance: 'abc' }, 'variance', /0 to 100/],
    ['a variance of 150', { variance: '150' }, 'variance', /0 to 100/],
    ['a negative variance', { variance: -1 }, 'variance', /0 to 100/],
    ['no variance', { variance: undefined }, 'variance', /acceptable variance/],
    ['an unknown SOP', { sop: 'returns' }, 'sop', /There is no SOP-returns/],
    ['no SOP', { sop: ' ' }, 'sop', /Pick the standard/],
  ])('refuses %s', (_name, over, field, problem) => {
    const errors = errorsOf(plan(over));
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field as keyof typeof errors]).toMatch(problem);
  });

  it.each([
    ['5', 5],
    ['5%', 5],
    [' 12.5 % ', 12.5],
    ['3,25', 3.25],
    [7, 7],
    ['abc', undefined],
    ['-3', undefined],
    ['1e3', undefined],
    [Number.NaN, undefined],
  ] as const)('parsePercent(%j) = %j', (value, expected) => {
    expect(parsePercent(value)).toBe(expected);
  });

  describe('results', () => {
    const checklist = ['Scanners charged', 'Counts match'];

    it('keeps pass or fail and the measured variance of every item', () => {
      expect(
        validateAuditResults(
          { 'item0.passed': 'pass', 'item0.variance': '2', 'item1.passed': 'fail', 'item1.variance': 12 },
          checklist,
        ),
      ).toEqual({
        ok: true,
        value: [
          { item: 'Scanners charged', passed: true, variance: 2 },
          { item: 'Counts match', passed: false, variance: 12 },
        ],
      });
      expect(resultFields(3)).toEqual({ passed: 'item3.passed', variance: 'item3.variance' });
    });

    it('keys each problem by its input', () => {
      expect(
        validateAuditResults({ 'item0.variance': '2', 'item1.passed': 'fail', 'item1.variance': 'x' }, checklist),
      ).toEqual({
        ok: false,
        errors: {
          'item0.passed': 'Choose pass or fail.',
          'item1.variance': 'Give the measured variance in percent, like 3.5.',
        },
      });
      expect(validateAuditResults({ 'item0.passed': 'maybe', 'item0.variance': '1' }, ['only'])).toEqual({
        ok: false,
        errors: { 'item0.passed': 'Choose pass or fail.' },
      });
    });

    it('breaches only outside the acceptable variance', () => {
      const results = (...variances: number[]) =>
        variances.map((variance, i) => ({ item: `item ${i}`, passed: true, variance }));
      expect(assessAudit(results(1, 12), 5)).toEqual({ maxVariance: 12, breach: true, passed: 2, failed: 0 });
      expect(assessAudit(results(5, 2), 5)).toEqual({ maxVariance: 5, breach: false, passed: 2, failed: 0 });
      expect(assessAudit(results(5.01), 5)).toMatchObject({ breach: true });
      expect(assessAudit([{ item: 'a', passed: false, variance: 0 }], 0)).toEqual({
        maxVariance: 0,
        breach: false,
        passed: 0,
        failed: 1,
      });
    });

    it('drafts a redesign of the audited standard naming the audit, its run and what was outside', () => {
      const draft = redesignDraft(
        { number: 2, sopKey: 'inventory-scanning', acceptableVariance: 5 },
        { id: 7, dueAt: at('2026-12-07T09:00:00Z') },
        [
          { item: 'Scanners charged', passed: true, variance: 3 },
          { item: 'Counts match', passed: false, variance: 12 },
          { item: 'Spares stocked', passed: true, variance: 6.5 },
        ],
      );
      expect(draft).toEqual({
        kind: 'workflow',
        sopKey: 'inventory-scanning',
        title: 'Redesign after AUD-2: variance 12% > 5%',
        change:
          'To be designed by the CoE. The audit of 2026-12-07 (AUD-2, run 7) measured, outside the acceptable 5%:\n• Counts match: 12% (failed)\n• Spares stocked: 6.5% (passed)',
        why: expect.stringContaining('not in the people'),
        risk: 'medium',
        improvement: 'workflow_change',
      });
    });
  });

  it('reads audit ids', () => {
    expect(parseAuditId('AUD-2')).toBe(2);
    expect(parseAuditId('aud2')).toBe(2);
    expect(parseAuditId('TR-2')).toBeUndefined();
  });
});

describe('nudgeDue: daily at first, then weekly', () => {
  const now = at('2026-12-08T10:00:00Z');

  it('nudges the first time, once a day up to the daily count, then every seven days', () => {
    expect(STALE_POLICY).toEqual({ daily: 3, thenEveryDays: 7 });
    expect(nudgeDue(undefined, '2026-12-08', now, STALE_POLICY)).toBe(true);
    expect(nudgeDue({ count: 1, lastOn: '2026-12-08', snoozedUntil: null }, '2026-12-08', now, STALE_POLICY)).toBe(
      false,
    );
    expect(nudgeDue({ count: 2, lastOn: '2026-12-07', snoozedUntil: null }, '2026-12-08', now, STALE_POLICY)).toBe(
      true,
    );
    expect(nudgeDue({ count: 3, lastOn: '2026-12-07', snoozedUntil: null }, '2026-12-08', now, STALE_POLICY)).toBe(
      false,
    );
    expect(nudgeDue({ count: 3, lastOn: '2026-12-07', snoozedUntil: null }, '2026-12-13', now, STALE_POLICY)).toBe(
      false,
    );
    expect(nudgeDue({ count: 3, lastOn: '2026-12-07', snoozedUntil: null }, '2026-12-14', now, STALE_POLICY)).toBe(
      true,
    );
    expect(nudgeDue({ count: 9, lastOn: '2026-12-07', snoozedUntil: null }, '2026-12-15', now, STALE_POLICY)).toBe(
      true,
    );
  });

  it('not while snoozed (a week), whatever the count', () => {
    expect(STALE_SNOOZE_MS).toBe(7 * 24 * 3600 * 1000);
    const until = new Date(now.getTime() + STALE_SNOOZE_MS);
    // Snoozed before the first nudge: a state with no nudge yet.
    expect(
      nudgeDue({ count: 0, lastOn: null, snoozedUntil: until }, '2026-12-14', at('2026-12-14T10:00:00Z'), STALE_POLICY),
    ).toBe(false);
    expect(
      nudgeDue({ count: 0, lastOn: null, snoozedUntil: until }, '2026-12-15', at('2026-12-15T10:00:00Z'), STALE_POLICY),
    ).toBe(true);
    expect(
      nudgeDue(
        { count: 1, lastOn: '2026-12-07', snoozedUntil: until },
        '2026-12-09',
        at('2026-12-09T10:00:00Z'),
        STALE_POLICY,
      ),
    ).toBe(false);
  });
});

describe('scheduled-work messages', () => {
  const training = (over: Partial<TrainingView> = {}): TrainingView => ({
    number: 3,
    title: 'Scanner charging',
    material: 'Read https://wiki.example.com/scanners',
    sop: { key: 'inventory-scanning', version: { major: 1, minor: 1 } },
    dueOn: '2026-12-11',
    ...over,
  });
  const audit = (over: Partial<AuditView> = {}): AuditView => ({
    number: 2,
    sopKey: 'inventory-scanning',
    checklist: ['Scanners on the charger', 'Counts match the system'],
    acceptableVariance: 5,
    runId: 9,
    dueAt: at('2026-12-07T09:00:00Z'),
    ...over,
  });

  it('writes days as people read them', () => {
    expect(dayText('2026-12-11')).toBe('Fri, 11 Dec 2026');
    expect(dayText('2027-01-04')).toBe('Mon, 4 Jan 2027');
  });

  it('announces a training in a team channel with the "Mark complete" button', () => {
    const m = trainingAnnouncement(training(), 'Warehouse');
    expect(m.text).toBe('New training TR-3 for Warehouse: Scanner charging, due Fri, 11 Dec 2026.');
    expect(m.blocks[0]).toEqual({ type: 'heading', text: 'Training TR-3 · Scanner charging' });
    expect(textOf(m)).toContain('{"label":"Standard","value":"SOP-inventory-scanning v1.1"}');
    expect(textOf(m)).toContain('only you see your own status');
    expect(actionsOf(m)).toEqual([
      { id: TRAINING_ACTIONS.complete, label: 'Mark complete', value: 'TR-3', style: 'primary' },
    ]);
    // A standard not released yet shows by its id alone; none shows no line.
    expect(textOf(trainingAnnouncement(training({ sop: { key: 'returns', version: undefined } }), 'W'))).toContain(
      '{"label":"Standard","value":"SOP-returns"}',
    );
    expect(textOf(trainingAnnouncement(training({ sop: null }), 'W'))).not.toContain('Standard');
  });

  it('reminds a person with "Mark complete" and "Snooze 1 day"', () => {
    const first = trainingReminder(training(), true);
    const later = trainingReminder(training(), false);
    expect(first.text).toBe('You have a training to do: TR-3: Scanner charging, due Fri, 11 Dec 2026.');
    expect(later.text).toBe(
      'Reminder: training TR-3 is not marked complete yet: Scanner charging, due Fri, 11 Dec 2026.',
    );
    expect(actionsOf(later).map((a) => [a.id, a.label, a.value])).toEqual([
      [TRAINING_ACTIONS.complete, 'Mark complete', 'TR-3'],
      [TRAINING_ACTIONS.snooze, 'Snooze 1 day', 'TR-3'],
    ]);
  });

  it('tells a team channel how far the team is, in numbers, naming the version the training is about', () => {
    const m = teamTrainingReminder(training(), 'Warehouse', 2, 5);
    expect(m.text).toBe(
      'Training TR-3 "Scanner charging" (SOP-inventory-scanning v1.1): 2 of 5 in Warehouse have completed it; due Fri, 11 Dec 2026.',
    );
    expect(teamTrainingReminder(training({ sop: null }), 'Warehouse', 2, 5).text).toMatch(
      /^Training TR-3 "Scanner charging": 2 of 5/,
    );
    expect(actionsOf(m).map((a) => a.id)).toEqual([TRAINING_ACTIONS.complete]);
  });

  it('gives a team smaller than the minimum group no count: "1 of 2" would point at the one not done', () => {
    const m = teamTrainingReminder(training(), 'Warehouse', 1, 2);
    expect(m.text).toBe(
      'Training TR-3 "Scanner charging" (SOP-inventory-scanning v1.1) is due Fri, 11 Dec 2026 in Warehouse: if it is yours, mark it complete once done.',
    );
    expect(teamTrainingReminder(training(), 'Warehouse', 1, 3, 3).text).toContain('1 of 3 in Warehouse');
  });

  it('shows a person their own trainings, and the totals per team and layer to anyone', () => {
    expect(myTrainingsMessage([]).text).toBe('You have no training assigned.');
    const mine = myTrainingsMessage([
      { training: training(), completedAt: null },
      { training: training({ number: 1, title: 'Safety' }), completedAt: at('2026-12-01T10:00:00Z') },
    ]);
    expect(mine.text).toBe('My training: 2');
    expect(textOf(mine)).toContain('{"label":"TR-3 · Due Fri, 11 Dec 2026","value":"Scanner charging"}');
    expect(textOf(mine)).toContain('{"label":"TR-1 · Completed","value":"Safety"}');

    // Night Shift (3) and the CoE members (2) are each fewer than 5; hidden together they are 5, so the total
    // (11) minus Warehouse gives away no group smaller than that.
    const status = trainingStatusMessage(
      training(),
      [
        { name: 'Warehouse', done: 4, total: 6 },
        { name: 'Night Shift', done: 1, total: 3 },
      ],
      [{ name: 'coe', done: 0, total: 2 }],
    );
    expect(status.text).toBe('TR-3 Scanner charging: 5 of 11 completed.');
    expect(textOf(status)).toContain('{"label":"Warehouse","value":"4 of 6 completed"}');
    expect(textOf(status)).toContain('{"label":"Night Shift","value":"too few to show"}');
    expect(textOf(status)).toContain('{"label":"CoE member","value":"too few to show"}');
    // One small group alone would be the total minus the others: the smallest other goes too.
    const two = trainingStatusMessage(
      training(),
      [{ name: 'Warehouse', done: 4, total: 6 }],
      [{ name: 'coe', done: 0, total: 2 }],
    );
    expect(textOf(two)).toContain('{"label":"Warehouse","value":"too few to show"}');
    expect(two.text).toBe('TR-3 Scanner charging: 4 of 8 completed.');
    expect(textOf(trainingStatusMessage(training(), [], []))).toContain('Nobody is assigned yet.');
  });

  it('sends an audit’s owner the numbered checklist and a "Record results" button that opens the form', () => {
    const m = auditDueMessage(audit());
    expect(m.text).toBe('Audit AUD-2 of SOP-inventory-scanning is due: 2 items.');
    expect(textOf(m)).toContain('1. Scanners on the charger\\n2. Counts match the system');
    expect(textOf(m)).toContain('{"label":"Acceptable variance","value":"5%"}');
    expect(actionsOf(m)).toEqual([
      { id: AUDIT_ACTIONS.record, label: 'Record results', value: '9', style: 'primary', opensForm: true },
    ]);
    expect(renderCard(m).body.at(-1)).toMatchObject({
      type: 'ActionSet',
      actions: [{ data: { msteams: { type: 'task/fetch' }, coeAction: AUDIT_ACTIONS.record, value: '9' } }],
    });
  });

  it('says what recording an audit led to', () => {
    expect(auditRecordedMessage(audit(), { maxVariance: 12, breach: true, passed: 1, failed: 1 }, 4).text).toBe(
      'AUD-2: 1 passed, 1 failed, largest variance 12% (acceptable 5%). Outside the acceptable variance: CR-4 is drafted for the CoE to redesign the workflow.',
    );
    expect(auditRecordedMessage(audit(), { maxVariance: 5, breach: false, passed: 2, failed: 0 }, undefined).text).toBe(
      'AUD-2: 2 passed, 0 failed, largest variance 5% (acceptable 5%). Within the acceptable variance. Thank you.',
    );
  });

  it('names the version a plan is about, and the version a recorded run was audited against, and whose it is', () => {
    const v1_0 = { major: 1, minor: 0 };
    const due = auditDueMessage({ ...audit(), version: v1_0 });
    expect(due.text).toBe('Audit AUD-2 of SOP-inventory-scanning v1.0 is due: 2 items.');
    expect(due.blocks[0]).toEqual({ type: 'heading', text: 'Audit AUD-2 · SOP-inventory-scanning v1.0' });
    const outcome = { maxVariance: 3, breach: false, passed: 2, failed: 0 };
    const v1_1 = { major: 1, minor: 1 };
    expect(auditRecordedMessage(audit(), outcome, undefined, { version: v1_1, team: 'Warehouse' }).text).toBe(
      'AUD-2 of SOP-inventory-scanning, audited against v1.1 (the version Warehouse works to): 2 passed, 0 failed, largest variance 3% (acceptable 5%). Within the acceptable variance. Thank you.',
    );
    expect(auditRecordedMessage(audit(), outcome, undefined, { version: v1_1 }).text).toMatch(
      /^AUD-2 of SOP-inventory-scanning, audited against v1\.1 \(the current version\): 2 passed/,
    );
    const section = auditSection([
      {
        number: 2,
        schedule: '0 9 * * 1',
        acceptableVariance: 5,
        sopMajor: 1,
        sopMinor: 0,
        runs: [
          {
            dueAt: at('2026-12-07T09:00:00Z'),
            maxVariance: 2,
            breach: false,
            changeNumber: null,
            sopMajor: 1,
            sopMinor: 1,
          },
          { dueAt: at('2026-11-30T09:00:00Z'), maxVariance: 1, breach: false, changeNumber: null },
        ],
      },
    ]);
    expect(section[1]).toEqual({
      type: 'facts',
      facts: [
        { label: 'AUD-2 · v1.0 · 0 9 * * 1', value: 'acceptable 5%; 2 recorded of the last 2 runs' },
        { label: 'AUD-2 · 2026-12-07', value: 'variance 2% on v1.1' },
        { label: 'AUD-2 · 2026-11-30', value: 'variance 1%' },
      ],
    });
  });

  it('lists a standard’s audits with their recorded runs, and its trainings, for `sop show`', () => {
    expect(auditSection([])).toEqual([]);
    expect(trainingSection([])).toEqual([]);
    const audits = auditSection([
      {
        number: 2,
        schedule: '0 9 * * 1',
        acceptableVariance: 5,
        runs: [
          { dueAt: at('2026-12-14T09:00:00Z'), maxVariance: null, breach: null, changeNumber: null },
          { dueAt: at('2026-12-07T09:00:00Z'), maxVariance: 12, breach: true, changeNumber: 4 },
          { dueAt: at('2026-11-30T09:00:00Z'), maxVariance: 2, breach: false, changeNumber: null },
        ],
      },
    ]);
    expect(audits).toEqual([
      { type: 'paragraph', text: '**Audits**' },
      {
        type: 'facts',
        facts: [
          { label: 'AUD-2 · 0 9 * * 1', value: 'acceptable 5%; 2 recorded of the last 3 runs' },
          { label: 'AUD-2 · 2026-12-07', value: 'variance 12% — breach, redesign CR-4' },
          { label: 'AUD-2 · 2026-11-30', value: 'variance 2%' },
        ],
      },
    ]);
    expect(trainingSection([training()])).toEqual([
      { type: 'paragraph', text: '**Training**' },
      {
        type: 'facts',
        facts: [{ label: 'TR-3 · due Fri, 11 Dec 2026', value: 'Scanner charging (SOP-inventory-scanning v1.1)' }],
      },
    ]);
  });

  it('raises a stale report with a "Snooze a week" button carrying the report and the kind', () => {
    const untriaged = staleNudgeMessage({ number: 12, title: 'Scanner dies' }, 'untriaged', 3, 'FR-12:untriaged');
    expect(untriaged.text).toBe('FR-12 "Scanner dies" has waited 3 working days for triage.');
    expect(actionsOf(untriaged)).toEqual([
      { id: NUDGE_ACTIONS.snooze, label: 'Snooze a week', value: 'FR-12:untriaged' },
    ]);
    const stalled = staleNudgeMessage({ number: 12, title: 'Scanner dies' }, 'stalled', 10, 'FR-12:stalled');
    expect(stalled.text).toBe('FR-12 "Scanner dies", which you own, has had no progress for 10 working days.');
    expect(textOf(stalled)).toContain('Record the root cause, or link it to a change request.');
  });

  it('shows every job with its schedule, last run and outcome, and next run', () => {
    const m = jobsMessage([
      {
        name: 'stale-nudges',
        schedule: '0 10 * * *',
        timeZone: 'Europe/Berlin',
        last: { fireTime: at('2026-12-07T09:00:00Z'), outcome: 'failed', error: 'database gone' },
        next: at('2026-12-08T09:00:00Z'),
      },
      { name: 'training-reminders', schedule: '0 9 * * *', timeZone: 'Europe/Berlin' },
    ]);
    expect(m.text).toBe('Scheduled jobs: stale-nudges (failed), training-reminders (not run yet)');
    expect(m.blocks[1]).toEqual({
      type: 'facts',
      facts: [
        {
          label: 'stale-nudges · 0 10 * * * (Europe/Berlin)',
          value: 'last 2026-12-07 09:00 UTC: failed (database gone); next 2026-12-08 09:00 UTC',
        },
        { label: 'training-reminders · 0 9 * * * (Europe/Berlin)', value: 'not run yet; no next run' },
      ],
    });
  });

  describe('at their largest, they fit both platforms', () => {
    const heavy = (n: number) => '& <!channel> **b** '.repeat(Math.ceil(n / 19)).slice(0, n);
    const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
    const big = training({
      number: 123_456_789,
      title: heavy(TRAINING_LIMITS.title),
      material: heavy(TRAINING_LIMITS.material),
      sop: { key: 'k'.repeat(60), version: { major: 999, minor: 999 } },
    });
    const bigAudit = audit({
      number: 123_456_789,
      sopKey: 'k'.repeat(60),
      checklist: many(15, () => heavy(150)),
      acceptableVariance: 99.99,
      runId: 123_456_789,
    });
    const largest: [string, Message][] = [
      ['announcement', trainingAnnouncement(big, heavy(80))],
      ['first reminder', trainingReminder(big, true)],
      ['reminder', trainingReminder(big, false)],
      ['team reminder', teamTrainingReminder(big, heavy(80), 99_999, 99_999)],
      [
        'my training',
        myTrainingsMessage(many(100, (i) => ({ training: big, completedAt: i % 2 ? new Date() : null }))),
      ],
      [
        'training status',
        trainingStatusMessage(
          big,
          many(60, () => ({ name: heavy(80), done: 99_999, total: 99_999 })),
          ['worker', 'manager', 'executive', 'coe'].map((name) => ({ name, done: 99_999, total: 99_999 })),
        ),
      ],
      ['audit due', auditDueMessage(bigAudit)],
      [
        'audit recorded',
        auditRecordedMessage(bigAudit, { maxVariance: 999, breach: true, passed: 15, failed: 0 }, 123_456_789),
      ],
      [
        'audit and training sections',
        {
          text: 'sections',
          blocks: [
            ...auditSection(
              many(20, (i) => ({
                number: 100_000 + i,
                schedule: heavy(60),
                acceptableVariance: 99.99,
                runs: many(10, () => ({
                  dueAt: new Date(),
                  maxVariance: 999.99,
                  breach: true,
                  changeNumber: 123_456_789,
                })),
              })),
            ),
            ...trainingSection(many(30, () => big)),
          ],
        },
      ],
      [
        'stale nudge',
        staleNudgeMessage({ number: 123_456_789, title: heavy(120) }, 'stalled', 999, 'FR-123456789:stalled'),
      ],
      [
        'jobs',
        jobsMessage(
          many(60, (i) => ({
            name: `audit:AUD-${100_000 + i}`,
            schedule: heavy(60),
            timeZone: 'America/Argentina/ComodRivadavia',
            last: { fireTime: new Date(), outcome: 'failed', error: heavy(5000) },
            next: new Date(),
          })),
        ),
      ],
    ];

    it.each(largest)('the %s message', (_name, m) => {
      const slack = renderMessage(m);
      expect(blockKitProblems(slack)).toEqual([]);
      // Nothing had to be cut off at the end (where the buttons are).
      expect(JSON.stringify(slack)).not.toContain('shortened: too long for one Slack message');
      expect(adaptiveCardProblems(renderCard(m))).toEqual([]);
    });
  });
});
