/**
 * The change-management domain: the change-request form and its lifecycle, standards and their versions, composing
 * a release, executive constraints, the AI usage rules, and the neutral messages both platforms render.
 */
import { describe, expect, it } from 'vitest';
import { type AiRule, aiToolKey, findAiRules, mayUse } from '../../src/domain/ai-rules.ts';
import {
  afterApproval,
  bumpOf,
  CHANGE_LIMITS,
  CHANGE_STATUSES,
  type ChangeStatus,
  changeFormValues,
  type Improvement,
  isDecidable,
  isWithdrawable,
  parseChangeId,
  parseConstraintId,
  parseFrictionList,
  validateChange,
} from '../../src/domain/change.ts';
import {
  aiNotListedMessage,
  aiRuleListMessage,
  aiRuleMessage,
  CHANGE_ACTIONS,
  type ChangeView,
  changeConfirmation,
  changeDecisionMessage,
  changeReviewMessage,
  changeStatusMessage,
  constraintListMessage,
  frictionInstead,
} from '../../src/domain/change-messages.ts';
import { type ExecutiveConstraint, isActive, parseConstraint } from '../../src/domain/constraint.ts';
import type { Message, MessageAction } from '../../src/domain/message.ts';
import { planRelease, RELEASE_NOTES_MAX, type ReleaseCandidate } from '../../src/domain/release.ts';
import {
  announcementMessage,
  deployedValue,
  parseDeployedValue,
  RELEASE_ACTIONS,
  type ReleaseView,
  releaseConfirmation,
  releaseProgressMessage,
  releaseSummaryMessage,
  sopListMessage,
  sopMessage,
} from '../../src/domain/release-messages.ts';
import {
  AI_RULES_SOP,
  compareVersions,
  nextVersion,
  normaliseSopKey,
  releaseBump,
  releaseName,
  SOP_KEY_PATTERN,
  titleFromKey,
} from '../../src/domain/sop.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';

const context = { sops: ['inventory-scanning', 'returns'], activeConstraints: [2, 5] };

/** A complete, valid change-request form as a platform hands it in. */
const form = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'workflow',
  sop: 'inventory-scanning',
  title: 'Charge scanners at every break',
  change: 'Scanners go on the charger at every break, not only at the end of the shift.',
  why: 'Scanners die after 30 minutes and the count is lost.',
  friction: 'FR-1, FR-3',
  risk: 'low',
  improvement: 'clarify',
  ...over,
});

const aiForm = (over: Record<string, unknown> = {}) =>
  form({
    kind: 'ai_rule',
    sop: undefined,
    aiTool: 'ChatGPT',
    aiStatus: 'restricted',
    aiDataClasses: 'public, internal',
    aiForbiddenInputs: 'Customer personal data',
    aiHumanReview: true,
    aiLayers: ['manager', 'coe'],
    ...over,
  });

const errorsOf = (raw: Record<string, unknown>, ctx = context) => {
  const result = validateChange(raw, ctx);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(raw)}`);
  return result.errors;
};

const checked = (raw: Record<string, unknown>, ctx = context) => {
  const result = validateChange(raw, ctx);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.value;
};

const actionsOf = (message: Message): MessageAction[] =>
  message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
const textOf = (message: Message) => JSON.stringify(message);

describe('validateChange', () => {
  it('accepts a complete form: trimmed text, parsed friction reports, the constraint it serves', () => {
    expect(checked(form({ title: '  Charge scanners at every break  ', constraint: 'ex-2' }))).toEqual({
      kind: 'workflow',
      sopKey: 'inventory-scanning',
      newSop: false,
      title: 'Charge scanners at every break',
      change: 'Scanners go on the charger at every break, not only at the end of the shift.',
      why: 'Scanners die after 30 minutes and the count is lost.',
      friction: [1, 3],
      constraint: 2,
      risk: 'low',
      improvement: 'clarify',
    });
  });

  it('leaves optional fields out when they are empty', () => {
    const value = checked(form({ friction: '  ', constraint: '' }));
    expect(value.friction).toEqual([]);
    expect(value).not.toHaveProperty('constraint');
    expect(value).not.toHaveProperty('aiRule');
  });

  it('normalises the SOP picked, and takes a new one named by a fresh key', () => {
    expect(checked(form({ sop: 'SOP-Inventory Scanning' })).sopKey).toBe('inventory-scanning');
    expect(checked(form({ sop: undefined, newSop: 'Label Printing' }))).toMatchObject({
      sopKey: 'label-printing',
      newSop: true,
    });
  });

  it.each([
    ['kind', 'Please choose what changes.'],
    ['title', 'Please fill in a title.'],
    ['change', 'Please fill in the change.'],
    ['why', 'Please fill in why it is needed.'],
    ['risk', 'Please choose the risk.'],
    ['improvement', 'Please choose the kind of improvement (it decides the version bump).'],
  ])('asks for a missing %s', (field, message) => {
    expect(errorsOf(form({ [field]: undefined }))).toEqual({ [field]: message });
    expect(errorsOf(form({ [field]: '   ' }))[field as 'kind']).toBe(message);
  });

  it.each([
    ['kind', 'meeting', 'Please choose what changes.'],
    ['risk', 'extreme', 'Please choose the risk.'],
    ['improvement', 'minor', 'Please choose the kind of improvement (it decides the version bump).'],
  ])('refuses an unknown %s', (field, value, message) => {
    expect(errorsOf(form({ [field]: value }))).toEqual({ [field]: message });
  });

  it.each([
    ['title', CHANGE_LIMITS.title, 'a title'],
    ['change', CHANGE_LIMITS.change, 'the change'],
    ['why', CHANGE_LIMITS.why, 'why it is needed'],
  ])('refuses an over-long %s and says how long it is', (field, max, label) => {
    expect(checked(form({ [field]: 'x'.repeat(max) }))[field as 'title']).toHaveLength(max);
    expect(errorsOf(form({ [field]: 'x'.repeat(max + 7) }))).toEqual({
      [field]: `Keep ${label} under ${max} characters (it has ${max + 7}).`,
    });
  });

  it('refuses over-long optional fields with their length', () => {
    expect(errorsOf(form({ sop: 's'.repeat(61) })).sop).toBe('Keep the SOP under 60 characters (it has 61).');
    expect(errorsOf(form({ friction: 'FR-1 '.repeat(41) })).friction).toBe(
      'Keep the friction reports under 200 characters (it has 204).',
    );
    expect(errorsOf(form({ constraint: 'EX-'.padEnd(21, '1') })).constraint).toBe(
      'Keep the executive constraint under 20 characters (it has 21).',
    );
  });

  it('refuses text fields that are not text', () => {
    expect(errorsOf(form({ title: 42 })).title).toBe('Please fill in a title.');
    expect(errorsOf(form({ friction: ['FR-1'] })).friction).toBe('Please write the friction reports as text.');
  });

  it('shows every field’s problem at once, not one per submission', () => {
    expect(errorsOf(form({ title: '', sop: 'payroll', friction: 'FR-1, oops', constraint: 'EX-9' }))).toEqual({
      title: 'Please fill in a title.',
      sop: 'There is no SOP-payroll; name it as a new SOP.',
      friction: '"oops" is not a friction report id like FR-3.',
      constraint: 'EX-9 is not an active executive constraint.',
    });
  });

  describe('the SOP it touches', () => {
    it('asks for one when neither is given', () => {
      expect(errorsOf(form({ sop: undefined }))).toEqual({ sop: 'Pick the SOP this changes, or name a new one.' });
      expect(errorsOf(form({ sop: ' ', newSop: '' }))).toEqual({
        sop: 'Pick the SOP this changes, or name a new one.',
      });
    });

    it('refuses both an existing and a new one', () => {
      expect(errorsOf(form({ newSop: 'label-printing' }))).toEqual({
        newSop: 'Pick an existing SOP or name a new one, not both.',
      });
    });

    it('refuses an SOP that is not registered, pointing to "new"', () => {
      expect(errorsOf(form({ sop: 'SOP-payroll' }))).toEqual({ sop: 'There is no SOP-payroll; name it as a new SOP.' });
    });

    it('refuses a registered SOP named as new', () => {
      expect(errorsOf(form({ sop: undefined, newSop: 'SOP-Returns' }))).toEqual({
        newSop: 'SOP-returns exists already; pick it instead.',
      });
    });

    it.each(['x', '!!!', '---', 'é'])('refuses the bad new key %j', (key) => {
      expect(errorsOf(form({ sop: undefined, newSop: key }))).toEqual({
        newSop: 'Name the new SOP with letters, digits and dashes, like inventory-scanning.',
      });
    });
  });

  describe('linked friction reports', () => {
    it('reads ids separated by commas, spaces or semicolons, once each', () => {
      expect(checked(form({ friction: 'FR-3, fr7;12  FR-3' })).friction).toEqual([3, 7, 12]);
    });

    it('names the part that is not an id', () => {
      expect(errorsOf(form({ friction: 'FR-1 CR-2' }))).toEqual({
        friction: '"CR-2" is not a friction report id like FR-3.',
      });
    });

    it('takes at most 10', () => {
      const ten = Array.from({ length: 10 }, (_, i) => `FR-${i + 1}`).join(', ');
      expect(checked(form({ friction: ten })).friction).toHaveLength(10);
      expect(errorsOf(form({ friction: `${ten}, FR-11` }))).toEqual({ friction: 'Link at most 10 friction reports.' });
      // The same id twice counts once.
      expect(checked(form({ friction: `${ten}, FR-10` })).friction).toHaveLength(10);
    });
  });

  describe('the executive constraint it serves', () => {
    it.each(['EX-5', 'ex5', '5', ' EX-5 '])('reads %j', (text) => {
      expect(checked(form({ constraint: text })).constraint).toBe(5);
    });

    it('refuses what is not an id', () => {
      expect(errorsOf(form({ constraint: 'cost' }))).toEqual({
        constraint: 'Name the constraint by its id, like EX-2.',
      });
    });

    it('refuses a constraint that is unknown or no longer active', () => {
      expect(errorsOf(form({ constraint: 'EX-3' }))).toEqual({
        constraint: 'EX-3 is not an active executive constraint.',
      });
    });
  });

  describe('an AI rule change', () => {
    it('always touches the AI usage rules standard, whatever SOP was picked, and says what the rule becomes', () => {
      const value = checked(aiForm({ sop: 'returns' }));
      expect(value).toMatchObject({ kind: 'ai_rule', sopKey: AI_RULES_SOP.key, newSop: true });
      expect(value.aiRule).toEqual({
        tool: 'ChatGPT',
        status: 'restricted',
        dataClasses: ['public', 'internal'],
        forbiddenInputs: 'Customer personal data',
        humanReview: true,
        layers: ['manager', 'coe'],
      });
      expect(checked(aiForm(), { ...context, sops: [...context.sops, AI_RULES_SOP.key] }).newSop).toBe(false);
    });

    it('asks for the tool and its status', () => {
      expect(errorsOf(aiForm({ aiTool: undefined, aiStatus: undefined }))).toEqual({
        aiTool: 'Name the AI tool this rule is about.',
        aiStatus: 'Choose whether the tool is approved, restricted or prohibited.',
      });
      expect(errorsOf(aiForm({ aiTool: '  ', aiStatus: 'allowed' }))).toEqual({
        aiTool: 'Name the AI tool this rule is about.',
        aiStatus: 'Choose whether the tool is approved, restricted or prohibited.',
      });
    });

    it('reads layers from a list or from text, in the seed order, and refuses an unknown one', () => {
      expect(checked(aiForm({ aiLayers: 'CoE, worker , worker' })).aiRule?.layers).toEqual(['worker', 'coe']);
      expect(checked(aiForm({ aiLayers: undefined })).aiRule?.layers).toEqual([]);
      expect(errorsOf(aiForm({ aiLayers: ['manager', 'intern'] }))).toEqual({
        aiLayers: '"intern" is not a layer: use worker, manager, executive, coe.',
      });
    });

    it('defaults what is optional and reads the checkbox as text too', () => {
      const rule = checked(
        aiForm({ aiDataClasses: undefined, aiForbiddenInputs: undefined, aiHumanReview: 'false' }),
      ).aiRule;
      expect(rule).toMatchObject({ dataClasses: [], forbiddenInputs: '', humanReview: false });
      expect(checked(aiForm({ aiHumanReview: 'true' })).aiRule?.humanReview).toBe(true);
    });

    it('refuses over-long rule fields', () => {
      expect(errorsOf(aiForm({ aiTool: 't'.repeat(81) }))).toEqual({
        aiTool: "Keep the tool's name under 80 characters.",
      });
      expect(errorsOf(aiForm({ aiForbiddenInputs: 'f'.repeat(1001) }))).toEqual({
        aiForbiddenInputs: 'Keep the forbidden inputs under 1000 characters.',
      });
      expect(errorsOf(aiForm({ aiDataClasses: 'd'.repeat(501) }))).toEqual({
        aiDataClasses: 'Keep the allowed data classes under 500 characters.',
      });
    });

    it('ignores the rule fields of a change that is not an AI rule', () => {
      expect(checked(form({ aiTool: 'ChatGPT', aiStatus: 'nonsense' }))).not.toHaveProperty('aiRule');
    });
  });
});

describe('change ids and lifecycle', () => {
  it('reads CR and EX ids', () => {
    expect(['CR-7', 'cr7', ' 7 '].map(parseChangeId)).toEqual([7, 7, 7]);
    expect(['FR-7', 'CR-', 'CR-1x', ''].map(parseChangeId)).toEqual([undefined, undefined, undefined, undefined]);
    expect(['EX-2', 'ex2', '2'].map(parseConstraintId)).toEqual([2, 2, 2]);
    expect(parseConstraintId('CR-2')).toBeUndefined();
  });

  it('parses a friction list on its own', () => {
    expect(parseFrictionList('')).toEqual({ ok: true, numbers: [] });
    expect(parseFrictionList('FR-2,FR-1')).toEqual({ ok: true, numbers: [2, 1] });
  });

  it('lets the CoE decide only while the request is in front of it, and the requester withdraw before approval', () => {
    const decidable = CHANGE_STATUSES.filter(isDecidable);
    const withdrawable = CHANGE_STATUSES.filter(isWithdrawable);
    expect(decidable).toEqual<ChangeStatus[]>(['draft', 'submitted', 'in_review']);
    expect(withdrawable).toEqual<ChangeStatus[]>(['draft', 'submitted', 'in_review', 'changes_requested']);
  });

  it('approves once the quorum is reached', () => {
    expect(afterApproval(1, 1)).toBe('approved');
    expect(afterApproval(1, 2)).toBe('in_review');
    expect(afterApproval(2, 2)).toBe('approved');
  });

  it('maps improvements to bumps: only a workflow change is major', () => {
    expect(bumpOf('workflow_change')).toBe('major');
    expect((['clarify', 'simplify', 'remove_ambiguity', 'improve_alignment'] as const).map(bumpOf)).toEqual([
      'minor',
      'minor',
      'minor',
      'minor',
    ]);
  });

  it('turns a stored request back into form values: picked when registered, named when new', () => {
    const input = checked(aiForm({ constraint: 'EX-2' }));
    const values = changeFormValues(input, false);
    expect(values).toMatchObject({
      kind: 'ai_rule',
      newSop: AI_RULES_SOP.key,
      friction: 'FR-1, FR-3',
      constraint: 'EX-2',
      aiTool: 'ChatGPT',
      aiStatus: 'restricted',
      aiDataClasses: 'public, internal',
      aiHumanReview: true,
      aiLayers: ['manager', 'coe'],
    });
    expect(values).not.toHaveProperty('sop');
    expect(changeFormValues(checked(form()), true)).toMatchObject({ sop: 'inventory-scanning' });
    // What it gives back validates to the same request.
    expect(checked(changeFormValues(input, false))).toEqual(input);
  });
});

describe('standards and versions', () => {
  it('normalises keys people type', () => {
    expect(normaliseSopKey('SOP-Inventory Scanning')).toBe('inventory-scanning');
    expect(normaliseSopKey(' inventory_scanning ')).toBe('inventory-scanning');
    expect(normaliseSopKey('sop Crème brûlée!')).toBe('creme-brulee');
    expect(normaliseSopKey('--a--b--')).toBe('a-b');
    expect(normaliseSopKey('!!!')).toBe('');
  });

  it('takes keys of 2 to 60 letters, digits and single dashes', () => {
    expect(SOP_KEY_PATTERN.test('ab')).toBe(true);
    expect(SOP_KEY_PATTERN.test('a'.repeat(60))).toBe(true);
    expect(['a', 'a'.repeat(61), 'a--b', '-ab', 'ab-', 'A-b'].some((k) => SOP_KEY_PATTERN.test(k))).toBe(false);
  });

  it('bumps minor or major; a new standard starts at v1.0 whatever the bump', () => {
    expect(nextVersion({ major: 1, minor: 0 }, 'minor')).toEqual({ major: 1, minor: 1 });
    expect(nextVersion({ major: 1, minor: 4 }, 'major')).toEqual({ major: 2, minor: 0 });
    expect(nextVersion(undefined, 'minor')).toEqual({ major: 1, minor: 0 });
    expect(nextVersion(undefined, 'major')).toEqual({ major: 1, minor: 0 });
  });

  it('makes a release major when any of its changes is', () => {
    expect(releaseBump(['minor', 'minor'])).toBe('minor');
    expect(releaseBump(['minor', 'major'])).toBe('major');
    expect(releaseBump([])).toBe('minor');
  });

  it('names and orders versions', () => {
    expect(releaseName('inventory-scanning', { major: 1, minor: 1 })).toBe('SOP-inventory-scanning v1.1');
    expect(titleFromKey('inventory-scanning')).toBe('Inventory scanning');
    expect(titleFromKey(AI_RULES_SOP.key)).toBe('AI usage rules');
    expect(compareVersions({ major: 1, minor: 10 }, { major: 2, minor: 0 })).toBeLessThan(0);
    expect(compareVersions({ major: 1, minor: 10 }, { major: 1, minor: 9 })).toBeGreaterThan(0);
  });
});

describe('planRelease', () => {
  const candidates: ReleaseCandidate[] = [
    { number: 1, sopKey: 'inventory-scanning', title: 'Charge at every break', improvement: 'clarify' },
    { number: 2, sopKey: 'inventory-scanning', title: 'Spare scanner per shift', improvement: 'workflow_change' },
    { number: 3, sopKey: 'returns', title: 'Label returns', improvement: 'simplify' },
    { number: 4, sopKey: 'inventory-scanning', title: 'One word for "count"', improvement: 'remove_ambiguity' },
  ];
  const teams = [
    { id: 1, name: 'Warehouse' },
    { id: 2, name: 'Night Shift' },
  ];
  const plan = (raw: Record<string, unknown>) => {
    const result = planRelease(raw, candidates, teams);
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
    return result.value;
  };
  const errors = (raw: Record<string, unknown>) => {
    const result = planRelease(raw, candidates, teams);
    if (result.ok) throw new Error(`accepted ${JSON.stringify(raw)}`);
    return result.errors;
  };

  it('ships one minor change with default notes and tags, to every team', () => {
    expect(plan({ changes: ['CR-1'] })).toEqual({
      sopKey: 'inventory-scanning',
      changes: [1],
      notes: '• CR-1 Charge at every break (Clarify)',
      tags: ['clarify'],
      teamIds: [],
      bump: 'minor',
    });
  });

  it('is major when any change is a workflow change; notes list each change in number order', () => {
    const value = plan({ changes: 'CR-4, 2,1' });
    expect(value).toMatchObject({ changes: [1, 2, 4], bump: 'major' });
    expect(value.notes).toBe(
      '• CR-1 Charge at every break (Clarify)\n• CR-2 Spare scanner per shift (Workflow change)\n• CR-4 One word for "count" (Remove ambiguity)',
    );
    expect(value.tags).toEqual(['clarify', 'remove_ambiguity', 'workflow_change']);
  });

  it('keeps the CoE’s notes and tags (in the seed’s order), and reads teams by id or name', () => {
    expect(
      plan({
        changes: ['CR-1', 'CR-1'],
        notes: '  Charge at every break.  ',
        tags: 'improve_alignment, clarify',
        teams: ['2', 'warehouse', 'Night Shift'],
      }),
    ).toMatchObject({
      changes: [1],
      notes: 'Charge at every break.',
      tags: ['clarify', 'improve_alignment'],
      teamIds: [2, 1],
    });
  });

  it('needs at least one approved change request', () => {
    const refusal = 'Pick at least one approved change request: a release ships approved changes only.';
    expect(errors({})).toEqual({ changes: refusal });
    expect(errors({ changes: [] })).toEqual({ changes: refusal });
    expect(errors({ changes: ' , ' })).toEqual({ changes: refusal });
    expect(planRelease({ changes: ['CR-1'] }, [], teams)).toEqual({
      ok: false,
      errors: { changes: 'CR-1 is not an approved change request waiting for a release.' },
    });
  });

  it('refuses a change request that is not an approved candidate, by its id', () => {
    expect(errors({ changes: ['CR-1', 'CR-9'] })).toEqual({
      changes: 'CR-9 is not an approved change request waiting for a release.',
    });
    expect(errors({ changes: 'banana' })).toEqual({
      changes: 'banana is not an approved change request waiting for a release.',
    });
  });

  it('is of one standard only', () => {
    expect(errors({ changes: ['CR-1', 'CR-3'] })).toEqual({
      changes: 'A release is of one standard; these are of SOP-inventory-scanning and SOP-returns.',
    });
  });

  it('refuses unknown tags and teams, and over-long notes', () => {
    expect(errors({ changes: ['CR-1'], tags: ['clarify', 'rewrite'] })).toEqual({
      tags: '"rewrite" is not an improvement kind.',
    });
    expect(errors({ changes: ['CR-1'], teams: 'Warehouse, Day Shift' })).toEqual({
      teams: 'There is no team "Day Shift".',
    });
    expect(errors({ changes: ['CR-1'], notes: 'n'.repeat(RELEASE_NOTES_MAX + 1) })).toEqual({
      notes: `Keep the notes under ${RELEASE_NOTES_MAX} characters (they have ${RELEASE_NOTES_MAX + 1}).`,
    });
    expect(errors({ changes: ['CR-1'], notes: 5 })).toEqual({ notes: 'Please write the release notes as text.' });
  });

  it('uses the default notes when the CoE blanks them', () => {
    expect(plan({ changes: ['CR-1'], notes: '   ' }).notes).toBe('• CR-1 Charge at every break (Clarify)');
  });
});

describe('executive constraints', () => {
  const today = new Date('2025-03-03T09:00:00.000Z');
  const words = (text: string) => text.split(' ');

  it.each([
    ['priority Improve quality', { kind: 'priority', text: 'Improve quality' }],
    ['Constraint Stay within the Q3 budget', { kind: 'constraint', text: 'Stay within the Q3 budget' }],
    [
      'target Reduce cycle time by 15% until 2027-06-30',
      { kind: 'target', text: 'Reduce cycle time by 15%', until: '2027-06-30' },
    ],
    ['outcome Fewer returns', { kind: 'target', text: 'Fewer returns' }],
    ['targets Fewer returns UNTIL 2025-03-03', { kind: 'target', text: 'Fewer returns', until: '2025-03-03' }],
  ])('reads %j', (text, expected) => {
    expect(parseConstraint(words(text), today)).toEqual(expected);
  });

  it.each([
    ['', 'Say what it is first: priority, constraint or target.'],
    ['wish More coffee', 'Say what it is first: priority, constraint or target.'],
    ['priority', 'Say what the priority is.'],
    ['target until 2027-01-01', 'Say what the outcome target is.'],
    ['target Fewer returns until', 'Give the end date as YYYY-MM-DD, last, like "until 2027-06-30".'],
    ['target Fewer returns until 2027-02-30', 'Give the end date as YYYY-MM-DD, last, like "until 2027-06-30".'],
    ['target Fewer returns until 30/06/2027', 'Give the end date as YYYY-MM-DD, last, like "until 2027-06-30".'],
    ['target Fewer returns until 2027-06-30 please', 'Give the end date as YYYY-MM-DD, last, like "until 2027-06-30".'],
    ['target Fewer returns until 2025-03-02', '2025-03-02 has passed already.'],
    [`priority ${'x'.repeat(301)}`, 'Keep it under 300 characters.'],
  ])('refuses %j', (text, problem) => {
    expect(parseConstraint(text ? words(text) : [], today)).toEqual({ problem });
  });

  it('is active until the end of its last day', () => {
    const until = new Date('2025-03-03T00:00:00.000Z');
    expect(isActive({ until: null }, today)).toBe(true);
    expect(isActive({ until }, new Date('2025-03-03T23:59:59.999Z'))).toBe(true);
    expect(isActive({ until }, new Date('2025-03-04T00:00:00.000Z'))).toBe(false);
  });

  it('lists only active ones', () => {
    const constraints: ExecutiveConstraint[] = [
      {
        number: 3,
        kind: 'target',
        text: 'Cut cycle time 15%',
        until: new Date('2025-06-30T00:00:00Z'),
        createdAt: today,
        endedAt: null,
      },
      {
        number: 2,
        kind: 'priority',
        text: 'Expired priority',
        until: new Date('2025-03-01T00:00:00Z'),
        createdAt: today,
        endedAt: null,
      },
      { number: 1, kind: 'constraint', text: 'Q3 budget', until: null, createdAt: today, endedAt: null },
    ];
    const list = constraintListMessage(constraints, today);
    expect(list.text).toBe('Executive direction: 2 active');
    expect(list.blocks[1]).toEqual({
      type: 'facts',
      facts: [
        { label: 'EX-3 · Outcome target', value: 'Cut cycle time 15% (until 2025-06-30)' },
        { label: 'EX-1 · Constraint', value: 'Q3 budget' },
      ],
    });
    const long = constraintListMessage(
      Array.from({ length: 53 }, (_, i) => ({ ...(constraints[2] as ExecutiveConstraint), number: 53 - i })),
      today,
    );
    expect(long.text).toBe('Executive direction: 53 active');
    expect(long.blocks[1]?.type === 'facts' && long.blocks[1].facts.map((f) => f.label).at(-1)).toBe(
      'EX-4 · Constraint',
    );
    expect(long.blocks.at(-1)).toEqual({ type: 'note', text: '…and 3 older ones.' });
    expect(constraintListMessage(constraints.slice(1, 2), today).text).toBe(
      'No active executive priorities, constraints or targets.',
    );
  });
});

describe('AI usage rules', () => {
  const rule = (tool: string, over: Partial<AiRule> = {}): AiRule => ({
    tool,
    toolKey: aiToolKey(tool),
    status: 'approved',
    dataClasses: ['public'],
    forbiddenInputs: '',
    humanReview: false,
    layers: [],
    changeNumber: 4,
    release: 'SOP-ai-usage-rules v1.1',
    updatedAt: new Date('2025-03-03T09:00:00Z'),
    ...over,
  });
  const rules = [rule('ChatGPT Enterprise'), rule('ChatGPT'), rule('Claude'), rule('Copilot')];
  const tools = (query: string) => findAiRules(rules, query).map((r) => r.tool);

  it('keys tools by letters and digits only', () => {
    expect(aiToolKey(' Chat GPT-4o ')).toBe('chatgpt4o');
    expect(aiToolKey('Crème AI')).toBe('cremeai');
  });

  it('finds the exact tool first, and only it', () => {
    expect(tools('chat gpt')).toEqual(['ChatGPT']);
    expect(tools('CLAUDE')).toEqual(['Claude']);
  });

  it('finds by prefix either way, closest first', () => {
    expect(tools('chatg')).toEqual(['ChatGPT', 'ChatGPT Enterprise']);
    expect(tools('Copilot for Microsoft 365')).toEqual(['Copilot']);
  });

  it.each(['chatgtp', 'chatgpr', 'claud', 'cluade', 'copliot'])('forgives the typo %j', (query) => {
    expect(tools(query)[0]).toMatch(/^(ChatGPT|Claude|Copilot)$/);
    expect(tools(query)).not.toHaveLength(0);
  });

  it('says the typo "chatgtp" means ChatGPT', () => {
    expect(tools('chatgtp')).toEqual(['ChatGPT']);
  });

  it.each(['Midjourney', 'gpt', 'c', '  ', '!!'])('finds nothing for %j', (query) => {
    expect(tools(query)).toEqual([]);
  });

  it('lets only the listed layers use a tool, and nobody a prohibited one', () => {
    expect(mayUse({ status: 'approved', layers: [] }, 'worker')).toBe(true);
    expect(mayUse({ status: 'restricted', layers: ['manager'] }, 'worker')).toBe(false);
    expect(mayUse({ status: 'restricted', layers: ['manager'] }, 'manager')).toBe(true);
    expect(mayUse({ status: 'prohibited', layers: [] }, 'coe')).toBe(false);
  });

  it('answers a look-up with the verdict for the person’s layer', () => {
    const restricted = rule('ChatGPT', { status: 'restricted', layers: ['manager', 'coe'], humanReview: true });
    expect(aiRuleMessage(restricted, 'manager', []).text).toBe(
      'ChatGPT is restricted: as a manager you may use it within the rule below.',
    );
    expect(aiRuleMessage(restricted, 'worker', []).text).toBe(
      'ChatGPT is not for your layer (worker); ask the CoE if you need it.',
    );
    expect(aiRuleMessage(rule('Claude'), 'executive', []).text).toBe(
      'Claude is approved: as an executive you may use it within the rule below.',
    );
    const prohibited = aiRuleMessage(rule('DeepFake', { status: 'prohibited', forbiddenInputs: 'Anything' }), 'coe', [
      'DeepL',
    ]);
    expect(prohibited.text).toBe('DeepFake is prohibited: do not use it for work.');
    expect(prohibited.blocks).toContainEqual({
      type: 'facts',
      facts: [
        { label: 'AI tool', value: 'DeepFake' },
        { label: 'Status', value: 'Prohibited' },
        { label: 'Allowed data', value: 'public' },
        { label: 'Human review', value: 'Not required' },
        { label: 'Who may use it', value: 'Nobody' },
      ],
    });
    expect(prohibited.blocks).toContainEqual({ type: 'paragraph', text: '**Never put in:** Anything' });
    expect(prohibited.blocks).toContainEqual({
      type: 'note',
      text: 'Set by CR-4, released in SOP-ai-usage-rules v1.1.',
    });
    expect(prohibited.blocks).toContainEqual({
      type: 'note',
      text: 'Did you mean another tool? Also listed: DeepL.',
    });
  });

  it('says a tool is not listed, and how to see the list', () => {
    const answer = aiNotListedMessage('Midjourney');
    expect(answer.text).toBe(
      '"Midjourney" is not listed in the AI usage rules: ask the CoE before you use it for work.',
    );
    // The command is a token each platform writes its own way (`/coe ai` in Slack, **ai** in Teams).
    expect(answer.blocks.at(-1)).toEqual({ type: 'note', text: 'To see every listed tool, send {{coe ai}}.' });
  });

  it('lists the rules, or says there are none', () => {
    expect(aiRuleListMessage([]).text).toBe('No AI usage rules yet: ask the CoE before you use an AI tool for work.');
    expect(
      aiRuleListMessage([rule('Claude', { humanReview: true }), rule('Copilot', { status: 'restricted' })]).text,
    ).toBe('AI usage rules: Claude (approved), Copilot (restricted)');
  });
});

const changeView = (over: Partial<ChangeView> = {}): ChangeView => ({
  number: 1,
  kind: 'workflow',
  sopKey: 'inventory-scanning',
  title: 'Charge scanners at every break',
  change: 'Scanners go on the charger at every break.',
  why: 'Scanners die after 30 minutes.',
  friction: [1],
  constraint: 2,
  risk: 'low',
  improvement: 'clarify',
  aiRule: null,
  status: 'submitted',
  version: 1,
  origin: null,
  decisionReason: null,
  requesterName: 'Mona Manager',
  approverNames: [],
  quorum: 1,
  ...over,
});

describe('change-request messages', () => {
  it('puts the request and its three decisions in the review message', () => {
    const review = changeReviewMessage(changeView());
    expect(review.text).toBe('CR-1 submitted: Charge scanners at every break (SOP-inventory-scanning)');
    expect(review.blocks[0]).toEqual({ type: 'heading', text: 'CR-1 · Charge scanners at every break' });
    expect(review.blocks[1]).toEqual({
      type: 'facts',
      facts: [
        { label: 'Status', value: 'Submitted' },
        { label: 'What changes', value: 'Workflow' },
        { label: 'Standard', value: 'SOP-inventory-scanning' },
        { label: 'Improvement', value: 'Clarify (minor version)' },
        { label: 'Risk', value: 'Low' },
        { label: 'Raised by', value: 'Mona Manager' },
        { label: 'Friction', value: 'FR-1' },
        { label: 'Serves', value: 'EX-2' },
        { label: 'Approvals', value: '0/1' },
      ],
    });
    expect(actionsOf(review)).toEqual([
      { id: CHANGE_ACTIONS.approve, label: 'Approve', value: 'CR-1:v1', style: 'primary' },
      { id: CHANGE_ACTIONS.requestChanges, label: 'Request changes', value: 'CR-1:v1', opensForm: true },
      { id: CHANGE_ACTIONS.reject, label: 'Reject', value: 'CR-1:v1', style: 'danger', opensForm: true },
    ]);
  });

  it('shows approvals so far, drops the buttons once decided, and names the release', () => {
    const inReview = changeReviewMessage(changeView({ status: 'in_review', approverNames: ['Olga'], quorum: 2 }));
    expect(textOf(inReview)).toContain('{"label":"Approvals","value":"1/2 (Olga)"}');
    const released = changeReviewMessage(
      changeView({ status: 'released', approverNames: ['Olga'], release: 'SOP-inventory-scanning v1.1' }),
    );
    expect(actionsOf(released)).toEqual([]);
    expect(textOf(released)).toContain('{"label":"Released in","value":"SOP-inventory-scanning v1.1"}');
    const rejected = changeReviewMessage(changeView({ status: 'rejected', decisionReason: 'Chargers are scarce.' }));
    expect(actionsOf(rejected)).toEqual([]);
    expect(rejected.blocks).toContainEqual({ type: 'paragraph', text: '**Rejected:** Chargers are scarce.' });
    expect(textOf(rejected)).not.toContain('Approvals');
  });

  it('says who raised a draft the bot made', () => {
    const draft = changeReviewMessage(changeView({ status: 'draft', requesterName: null, origin: 'audit AUD-2' }));
    expect(textOf(draft)).toContain('{"label":"Raised by","value":"audit AUD-2"}');
    expect(actionsOf(draft).map((a) => a.id)).toEqual([CHANGE_ACTIONS.approve, CHANGE_ACTIONS.reject]);
  });

  it('shows the AI rule a change proposes', () => {
    const ai = changeReviewMessage(
      changeView({
        kind: 'ai_rule',
        sopKey: AI_RULES_SOP.key,
        aiRule: {
          tool: 'ChatGPT',
          status: 'restricted',
          dataClasses: [],
          forbiddenInputs: '',
          humanReview: true,
          layers: ['manager'],
        },
      }),
    );
    expect(ai.blocks).toContainEqual({ type: 'paragraph', text: '**The AI rule becomes:**' });
    expect(textOf(ai)).toContain('{"label":"Who may use it","value":"manager"}');
    expect(textOf(ai)).toContain('{"label":"Allowed data","value":"none named"}');
  });

  it('gives the requester the revise button only when changes were requested', () => {
    const sentBack = changeDecisionMessage(
      changeView({ status: 'changes_requested', decisionReason: 'Say which chargers.' }),
      'Olga asked for changes: Say which chargers.',
    );
    expect(sentBack.text).toBe('CR-1 "Charge scanners at every break" is now changes requested.');
    expect(actionsOf(sentBack)).toEqual([
      { id: CHANGE_ACTIONS.revise, label: 'Revise and resubmit', value: 'CR-1', opensForm: true },
    ]);
    expect(actionsOf(changeDecisionMessage(changeView({ status: 'approved' }), 'Olga approved it.'))).toEqual([]);
  });

  it('confirms a submission, and points workers kindly to friction', () => {
    expect(textOf(changeConfirmation(3, 'Charge', true))).toContain('The CoE will review \\"Charge\\"');
    expect(textOf(changeConfirmation(3, 'Charge', false))).toContain('once they set up their review channel');
    expect(changeStatusMessage(changeView({ status: 'approved' })).text).toBe(
      'CR-1 is approved: Charge scanners at every break',
    );
    expect(frictionInstead().text).toBe(
      'Change requests come from managers, executives and the CoE. Tell the CoE what got in the way with {{friction}}: that is how changes start.',
    );
    // Each platform writes the command its own way: in code in Slack, the bare word said to the bot in Teams.
    expect(JSON.stringify(renderMessage(frictionInstead()).blocks)).toContain('with `/friction`, and');
    expect(JSON.stringify(renderCard(frictionInstead()).body)).toContain('with **friction**, and');
  });
});

const releaseView = (over: Partial<ReleaseView> = {}): ReleaseView => ({
  id: 7,
  sopKey: 'inventory-scanning',
  sopTitle: 'Inventory scanning',
  version: { major: 1, minor: 1 },
  notes: '• CR-1 Charge at every break (Clarify)',
  tags: ['clarify'],
  changes: [{ number: 1, title: 'Charge at every break' }],
  ...over,
});

describe('release messages', () => {
  it('announces a release to a team with its Deployed button, whose value names release and team', () => {
    const announcement = announcementMessage(releaseView(), { id: 3, name: 'Warehouse' });
    expect(announcement.text).toBe('New standard: SOP-inventory-scanning v1.1. • CR-1 Charge at every break (Clarify)');
    expect(announcement.blocks[0]).toEqual({ type: 'heading', text: 'New standard: SOP-inventory-scanning v1.1' });
    expect(actionsOf(announcement)).toEqual([
      { id: RELEASE_ACTIONS.deployed, label: 'Deployed in my team', value: '7:3', style: 'primary' },
    ]);
    const deployed = announcementMessage(
      releaseView(),
      { id: 3, name: 'Warehouse' },
      {
        by: 'Mona Manager',
        at: new Date('2025-03-04T10:00:00Z'),
      },
    );
    expect(actionsOf(deployed)).toEqual([]);
    expect(deployed.blocks.at(-1)).toEqual({
      type: 'note',
      text: 'Deployed in Warehouse by Mona Manager on 2025-03-04.',
    });
  });

  it('reads the Deployed button value back, and nothing else', () => {
    expect(parseDeployedValue(deployedValue(7, 3))).toEqual({ releaseId: 7, teamId: 3 });
    expect(['7', '7:', 'x:3', '7:3:1', ''].map(parseDeployedValue)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('shows the fan-out while it goes and once it is done', () => {
    const going = releaseProgressMessage(releaseView(), { total: 500, sent: 312, failed: 3, teams: 250, deployed: 4 });
    expect(going.text).toBe('SOP-inventory-scanning v1.1 published. Announcing: sent 312/500, 3 failed.');
    expect(textOf(going)).toContain('{"label":"Deployed","value":"4/250 teams"}');
    const done = releaseProgressMessage(releaseView(), { total: 2, sent: 2, failed: 0, teams: 1, deployed: 0 });
    expect(done.text).toBe('SOP-inventory-scanning v1.1 published. Announced: sent 2/2.');
  });

  it('sums up what failed, naming at most the failures it is given', () => {
    const view = releaseView();
    expect(releaseSummaryMessage(view, { total: 2, sent: 2, failed: 0 }, []).text).toBe(
      'SOP-inventory-scanning v1.1: announced in both channels.',
    );
    expect(releaseSummaryMessage(view, { total: 1, sent: 1, failed: 0 }, []).text).toBe(
      'SOP-inventory-scanning v1.1: announced in the channel.',
    );
    expect(releaseSummaryMessage(view, { total: 3, sent: 3, failed: 0 }, []).text).toBe(
      'SOP-inventory-scanning v1.1: announced in all 3 channels.',
    );
    const failed = releaseSummaryMessage(view, { total: 30, sent: 5, failed: 25 }, [
      { where: 'Warehouse: slack channel C1', error: 'channel_not_found' },
    ]);
    expect(failed.text).toBe('SOP-inventory-scanning v1.1: announced in 5 of 30 channels; 25 failed.');
    expect(failed.blocks).toContainEqual({
      type: 'facts',
      facts: [{ label: 'Warehouse: slack channel C1', value: 'channel_not_found' }],
    });
    expect(failed.blocks.at(-1)).toEqual({ type: 'note', text: '…and 24 more.' });
    expect(releaseSummaryMessage(view, { total: 0, sent: 0, failed: 0 }, []).text).toBe(
      'SOP-inventory-scanning v1.1: no team channel to announce it in. Link channels with {{coe team channel <team>}}.',
    );
    expect(releaseConfirmation(view, 1).text).toBe(
      'Published SOP-inventory-scanning v1.1: announcing it in 1 team channel. The review channel shows the progress.',
    );
  });

  it('shows a standard: version, owner, history with notes, open change requests', () => {
    const shown = sopMessage({
      key: 'inventory-scanning',
      title: 'Inventory scanning',
      version: { major: 1, minor: 1 },
      ownerName: 'Olga Owner',
      baseline: { at: new Date('2025-03-01T08:00:00Z') },
      history: [
        {
          version: { major: 1, minor: 1 },
          notes: 'Charge at every break.',
          tags: ['clarify'],
          changes: [1],
          publishedAt: new Date('2025-03-03T09:00:00Z'),
          deployed: 1,
          teams: 2,
        },
      ],
      changes: [
        { number: 1, title: 'Charge at every break', status: 'released' },
        { number: 2, title: 'Spare scanner', status: 'in_review' },
      ],
    });
    expect(shown.text).toBe('SOP-inventory-scanning v1.1: Inventory scanning');
    expect(shown.blocks).toContainEqual({
      type: 'facts',
      facts: [
        { label: 'v1.1 · 2025-03-03', value: 'Charge at every break. (Clarify; CR-1; deployed 1/2 teams)' },
        { label: 'v1.0 · 2025-03-01', value: 'Registered as the baseline.' },
      ],
    });
    expect(shown.blocks).toContainEqual({
      type: 'facts',
      facts: [{ label: 'CR-2 · In review', value: 'Spare scanner' }],
    });
    expect(textOf(shown)).toContain('{"label":"Owner","value":"Olga Owner"}');
  });

  it('names each improvement tag of a version once, also when the notes name it already', () => {
    const version = (notes: string, tags: Improvement[]) =>
      sopMessage({
        key: 'inventory-scanning',
        title: 'Inventory scanning',
        version: { major: 1, minor: 1 },
        ownerName: null,
        baseline: undefined,
        history: [
          {
            version: { major: 1, minor: 1 },
            notes,
            tags,
            changes: [1, 2],
            publishedAt: new Date(0),
            deployed: 0,
            teams: 2,
          },
        ],
        changes: [],
      });
    const label = 'v1.1 · 1970-01-01';
    expect(version('• CR-1 Charge (Clarify)\n• CR-2 Spare (Simplify)', ['clarify', 'simplify']).blocks).toContainEqual({
      type: 'facts',
      facts: [{ label, value: '• CR-1 Charge (Clarify)\n• CR-2 Spare (Simplify) (CR-1, CR-2; deployed 0/2 teams)' }],
    });
    expect(version('Charge at every break.', ['clarify', 'clarify', 'simplify']).blocks).toContainEqual({
      type: 'facts',
      facts: [{ label, value: 'Charge at every break. (Clarify, Simplify; CR-1, CR-2; deployed 0/2 teams)' }],
    });
  });

  it('lists standards, or says there are none', () => {
    expect(sopListMessage([]).text).toBe('No standards registered yet.');
    expect(
      sopListMessage([
        { key: 'returns', title: 'Returns', version: undefined, ownerName: null },
        { key: 'inventory-scanning', title: 'Inventory', version: { major: 2, minor: 0 }, ownerName: null },
      ]).text,
    ).toBe('Standards: SOP-returns not released yet, SOP-inventory-scanning v2.0');
  });
});

describe('the messages at their largest fit both platforms', () => {
  const heavy = (n: number) => '& <!channel> **b** '.repeat(Math.ceil(n / 19)).slice(0, n);
  const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
  const largest: [string, Message][] = [
    [
      'review',
      changeReviewMessage(
        changeView({
          number: 123_456_789,
          title: heavy(CHANGE_LIMITS.title),
          change: heavy(CHANGE_LIMITS.change),
          why: heavy(CHANGE_LIMITS.why),
          friction: many(10, (i) => 100_000_000 + i),
          constraint: 123_456_789,
          status: 'in_review',
          requesterName: heavy(80),
          approverNames: many(5, () => heavy(80)),
          quorum: 9,
          aiRule: {
            tool: heavy(80),
            status: 'restricted',
            dataClasses: [heavy(500)],
            forbiddenInputs: heavy(1000),
            humanReview: true,
            layers: ['worker', 'manager', 'executive', 'coe'],
          },
        }),
      ),
    ],
    [
      'decision',
      changeDecisionMessage(
        changeView({ status: 'changes_requested', title: heavy(CHANGE_LIMITS.title) }),
        heavy(CHANGE_LIMITS.reason + 200),
      ),
    ],
    [
      'announcement',
      announcementMessage(
        releaseView({
          sopKey: 'k'.repeat(60),
          sopTitle: heavy(120),
          notes: heavy(RELEASE_NOTES_MAX),
          version: { major: 999, minor: 999 },
          changes: many(50, (i) => ({ number: 100_000 + i, title: heavy(120) })),
        }),
        { id: 1, name: heavy(80) },
      ),
    ],
    [
      'summary',
      releaseSummaryMessage(
        releaseView(),
        { total: 500, sent: 450, failed: 50 },
        many(20, (i) => ({ where: heavy(150), error: `${heavy(400)}${i}` })),
      ),
    ],
    [
      'sop show',
      sopMessage({
        key: 'k'.repeat(60),
        title: heavy(120),
        version: { major: 12, minor: 3 },
        ownerName: heavy(80),
        baseline: { at: new Date('2025-01-01T00:00:00Z') },
        history: many(12, (i) => ({
          version: { major: 12, minor: i },
          notes: heavy(RELEASE_NOTES_MAX),
          tags: ['clarify', 'simplify', 'remove_ambiguity', 'improve_alignment', 'workflow_change'],
          changes: many(20, (j) => 100_000 + j),
          publishedAt: new Date('2025-02-01T00:00:00Z'),
          deployed: 500,
          teams: 500,
        })),
        changes: many(30, (i) => ({ number: 100_000 + i, title: heavy(120), status: 'in_review' })),
      }),
    ],
    ['ai list', aiRuleListMessage(many(60, (i) => ({ ...ruleFor(heavy(80)), toolKey: `t${i}` })))],
    [
      'constraint list',
      constraintListMessage(
        many(600, (i) => ({
          number: 600 - i,
          kind: 'target',
          text: heavy(300),
          until: null,
          createdAt: new Date(),
          // Every third ended early: the longest list has both sections full.
          endedAt: i % 3 === 0 ? new Date() : null,
        })),
        new Date(),
      ),
    ],
  ];

  it.each(largest)('the %s message', (_name, message) => {
    expect(blockKitProblems(renderMessage(message))).toEqual([]);
    expect(adaptiveCardProblems(renderCard(message))).toEqual([]);
  });
});

function ruleFor(tool: string): AiRule {
  return {
    tool,
    toolKey: aiToolKey(tool),
    status: 'approved',
    dataClasses: [],
    forbiddenInputs: '',
    humanReview: true,
    layers: [],
    changeNumber: 1,
    release: 'SOP-ai-usage-rules v1.0',
    updatedAt: new Date(),
  };
}
