/**
 * The bot's forms, field by field, as values a person could submit: the same fields for a Slack modal (by block id,
 * as `view.state.values`) and a Teams dialog (by input id, as the Action.Submit data).
 */
import fc from 'fast-check';
import { AI_STATUSES } from '../../src/domain/ai-rules.ts';
import { CHANGE_KINDS, IMPROVEMENTS, RISKS } from '../../src/domain/change.ts';
import { FREQUENCIES, FRICTION_KINDS, IMPACTS } from '../../src/domain/friction.ts';
import { DECLINE_LANES } from '../../src/domain/friction-decline.ts';
import { LAYERS } from '../../src/domain/people.ts';
import {
  ANONYMOUS_OPTION,
  AUDIT_PLAN_BLOCKS,
  CHANGE_FORM_BLOCKS,
  DECISION_BLOCKS,
  FRICTION_FORM_BLOCKS,
  HUMAN_REVIEW_OPTION,
  INPUT_ACTION,
  RELEASE_FORM_BLOCKS,
  SOP_FORM_BLOCKS,
  TRAINING_FORM_BLOCKS,
  VIEWS,
} from '../../src/platforms/slack/ids.ts';
import { oddString } from './mutations.ts';
import {
  changeId,
  constraintId,
  date,
  frictionId,
  SLACK_COE,
  SLACK_MANAGER,
  SLACK_WORKER,
  SOP_KEY,
  TEAM_NAME,
  words,
} from './world.ts';

/** One input: what kind of element, the values a person would put in it, and what may be in it at all. */
export type Field =
  | { type: 'text' | 'select'; valid: fc.Arbitrary<string>; value: fc.Arbitrary<string> }
  | { type: 'multi' | 'checkboxes'; valid: fc.Arbitrary<string[]>; value: fc.Arbitrary<string[]> }
  | { type: 'date' }
  | { type: 'user' };

const mostly = <T>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: odd, weight: 1 });

const text = (valid: fc.Arbitrary<string> = words): Field => ({ type: 'text', valid, value: mostly(valid, oddString) });
const select = (values: readonly string[]): Field => {
  const valid = fc.constantFrom(...values);
  return { type: 'select', valid, value: mostly(valid, oddString) };
};
const many = (type: 'multi' | 'checkboxes', values: readonly string[]): Field => {
  const valid = fc.subarray([...values]);
  return { type, valid, value: mostly(valid, fc.array(oddString, { maxLength: 3 })) };
};
const number = fc.constantFrom('0', '2.5', '10', '100', '-1', '1e9', 'ten');

export const FRICTION_FIELDS: Record<string, Field> = {
  kind: select(FRICTION_KINDS),
  title: text(),
  description: text(),
  team: select([TEAM_NAME, 'Nowhere']),
  // Mostly the tool of the open reports FR-2 and FR-4: a new report like them is offered as a +1 on each.
  tool: text(fc.oneof(fc.constant('Inventory scanner'), words)),
  frequency: select(FREQUENCIES),
  impact: select(IMPACTS),
  relatedSop: text(fc.constantFrom('', SOP_KEY, 'SOP-scanning')),
  anonymous: many('checkboxes', [ANONYMOUS_OPTION]),
};

export const CHANGE_FIELDS: Record<string, Field> = {
  kind: select(CHANGE_KINDS),
  sop: select([SOP_KEY, 'ai-usage', 'missing']),
  newSop: text(fc.constantFrom('', 'new-standard', 'Bad Key!')),
  title: text(),
  change: text(),
  why: text(),
  friction: text(fc.oneof(frictionId, fc.constantFrom('FR-1, FR-2', ''))),
  constraint: text(fc.oneof(constraintId, fc.constant(''))),
  risk: select(RISKS),
  improvement: select(IMPROVEMENTS),
  aiTool: text(),
  aiStatus: select(AI_STATUSES),
  aiDataClasses: text(),
  aiForbiddenInputs: text(),
  aiHumanReview: many('checkboxes', [HUMAN_REVIEW_OPTION]),
  aiLayers: many('checkboxes', LAYERS),
  proposedText: text(fc.oneof(fc.constant(''), words, fc.constant('# Scanning\n\n1. Lead: charge the scanners ASAP.'))),
};

export const RELEASE_FIELDS: Record<string, Field> = {
  changes: many('multi', ['CR-1', 'CR-2', 'CR-9']),
  notes: text(),
  tags: many('multi', IMPROVEMENTS),
  teams: many('multi', ['1', '2', '99']),
  text: select(['combine', 'CR-1', 'CR-9']),
};

export const TRAINING_FIELDS: Record<string, Field> = {
  title: text(),
  material: text(fc.oneof(words, fc.constant('https://example.com/course'))),
  sop: select([SOP_KEY, 'missing']),
  teams: many('multi', ['1', '2', '99']),
  layers: many('multi', LAYERS),
  due: { type: 'date' },
};

export const AUDIT_PLAN_FIELDS: Record<string, Field> = {
  sop: select([SOP_KEY, 'missing']),
  schedule: text(fc.constantFrom('0 9 * * 1', '*/5 * * * *', '0 0 31 2 *', 'every day', '* * * * * * *')),
  checklist: text(fc.constantFrom('Scanner charged\nLabels printed', 'one', '')),
  variance: text(number),
  owner: { type: 'user' },
};

export const SOP_FIELDS: Record<string, Field> = {
  key: text(fc.constantFrom(SOP_KEY, 'new-standard', 'Bad Key!')),
  title: text(),
  owner: { type: 'user' },
  text: text(fc.constantFrom('# Steps\n\n1. Lead: scan.\n- [ ] Charged', 'Check regularly, etc. ASAP', '')),
  link: text(fc.constantFrom('', 'https://docs.example.com/scanning', 'ftp://files', 'not a link')),
};

export const AUDIT_RESULT_FIELDS: Record<string, Field> = {
  'item1.passed': select(['pass', 'fail']),
  'item1.variance': text(number),
  'item2.passed': select(['pass', 'fail']),
  'item2.variance': text(number),
};

const decisionMetadata = fc.oneof(
  fc
    .record({ number: fc.integer({ min: 1, max: 4 }), channel: fc.constantFrom('C0REVIEW', 'C0GENERAL') })
    .map((m) => JSON.stringify(m)),
  fc.constantFrom('', '{}', '{"number":-1}', '{"number":"1"}', 'null', '[]', '{'),
);

export interface SlackForm {
  /** Block id → field. */
  blocks: Record<string, Field>;
  metadata: fc.Arbitrary<string>;
}

const byBlock = (fields: Record<string, Field>, blocks: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([field, spec]) => [blocks[field] ?? field, spec]));

const noForm: SlackForm = { blocks: {}, metadata: fc.constant('') };

/** Every callback id the app has, with the fields of its modal. */
export const SLACK_FORMS: Record<string, SlackForm> = {
  [VIEWS.frictionForm]: {
    blocks: byBlock(FRICTION_FIELDS, FRICTION_FORM_BLOCKS),
    metadata: fc.constantFrom('', '{}', JSON.stringify({ sourceLink: 'https://test.slack.com/archives/C1/p1' })),
  },
  [VIEWS.frictionConfirmation]: noForm,
  [VIEWS.decideRootCause]: { blocks: { [DECISION_BLOCKS.rootCause]: text() }, metadata: decisionMetadata },
  [VIEWS.decideDuplicate]: {
    blocks: { [DECISION_BLOCKS.duplicateOf]: text(frictionId) },
    metadata: decisionMetadata,
  },
  [VIEWS.decideDecline]: {
    blocks: {
      [DECISION_BLOCKS.lane]: select(DECLINE_LANES),
      [DECISION_BLOCKS.standard]: text(fc.constantFrom(SOP_KEY, `SOP-${SOP_KEY}`, 'no-such-standard')),
      [DECISION_BLOCKS.reason]: text(),
    },
    metadata: decisionMetadata,
  },
  [VIEWS.changeForm]: {
    blocks: byBlock(CHANGE_FIELDS, CHANGE_FORM_BLOCKS),
    metadata: fc.oneof(
      fc.constant(''),
      changeId.map((id) => JSON.stringify({ revise: id })),
    ),
  },
  [VIEWS.changeConfirmation]: noForm,
  [VIEWS.changeRequestChanges]: { blocks: { [DECISION_BLOCKS.reason]: text() }, metadata: decisionMetadata },
  [VIEWS.changeReject]: { blocks: { [DECISION_BLOCKS.reason]: text() }, metadata: decisionMetadata },
  [VIEWS.releaseForm]: {
    blocks: byBlock(RELEASE_FIELDS, RELEASE_FORM_BLOCKS),
    metadata: fc.constantFrom('', '{"previewed":"stale"}', '{"previewed":7}', 'not json'),
  },
  [VIEWS.releaseConfirmation]: noForm,
  [VIEWS.trainingForm]: { blocks: byBlock(TRAINING_FIELDS, TRAINING_FORM_BLOCKS), metadata: fc.constant('') },
  [VIEWS.trainingConfirmation]: noForm,
  [VIEWS.auditPlanForm]: { blocks: byBlock(AUDIT_PLAN_FIELDS, AUDIT_PLAN_BLOCKS), metadata: fc.constant('') },
  [VIEWS.auditPlanConfirmation]: noForm,
  [VIEWS.auditResultsForm]: {
    blocks: AUDIT_RESULT_FIELDS,
    metadata: fc.oneof(
      fc.constantFrom('1', '2', '999').map((run) => JSON.stringify({ run })),
      fc.constant('{}'),
    ),
  },
  [VIEWS.auditResultsConfirmation]: noForm,
  [VIEWS.sopForm]: { blocks: byBlock(SOP_FIELDS, SOP_FORM_BLOCKS), metadata: fc.constant('') },
  [VIEWS.sopConfirmation]: noForm,
};

const option = (value: string) => ({ text: { type: 'plain_text', text: value || ' ', emoji: true }, value });
const userId = fc.oneof(fc.constantFrom(SLACK_COE.id, SLACK_WORKER.id, 'UNOBODY'), oddString);

/** One element's state, as Slack sends it back; `strict`: what a person could really have entered. */
function elementState(field: Field, strict: boolean): fc.Arbitrary<Record<string, unknown>> {
  const maybe = <T>(arb: fc.Arbitrary<T>) => (strict ? arb : fc.option(arb, { freq: 8 }));
  switch (field.type) {
    case 'text':
      return maybe(strict ? field.valid : field.value).map((value) => ({ type: 'plain_text_input', value }));
    case 'select':
      return maybe(strict ? field.valid : field.value).map((v) => ({
        type: 'static_select',
        selected_option: v === null ? null : option(v),
      }));
    case 'multi':
    case 'checkboxes':
      return (strict ? field.valid : field.value).map((vs) => ({
        type: field.type === 'multi' ? 'multi_static_select' : 'checkboxes',
        selected_options: vs.map(option),
      }));
    case 'date':
      return maybe(strict ? fc.constant('2030-01-31') : date).map((selected_date) => ({
        type: 'datepicker',
        selected_date,
      }));
    case 'user':
      return maybe(strict ? fc.constant(SLACK_MANAGER.id) : userId).map((selected_user) => ({
        type: 'users_select',
        selected_user,
      }));
  }
}

/**
 * `view.state.values` for a form: each block with its one element under INPUT_ACTION. `strict`: every input there,
 * with a value a person could have chosen; otherwise inputs may be missing, empty or odd.
 */
export function slackState(form: SlackForm, strict: boolean): fc.Arbitrary<Record<string, Record<string, unknown>>> {
  const cache = stateCache.get(form) ?? {};
  stateCache.set(form, cache);
  cache[String(strict)] ??= makeState(form, strict);
  return cache[String(strict)] as fc.Arbitrary<Record<string, Record<string, unknown>>>;
}

/** Arbitraries are made once per form: a `chain` asks for them on every case. */
const stateCache = new WeakMap<SlackForm, Record<string, fc.Arbitrary<Record<string, Record<string, unknown>>>>>();

function makeState(form: SlackForm, strict: boolean): fc.Arbitrary<Record<string, Record<string, unknown>>> {
  const entries = Object.entries(form.blocks).map(([blockId, field]) =>
    (strict ? elementState(field, true) : fc.option(elementState(field, false), { freq: 10 })).map(
      (state) => [blockId, state] as const,
    ),
  );
  return fc
    .tuple(...entries)
    .map((pairs) =>
      Object.fromEntries(pairs.filter(([, s]) => s !== null).map(([blockId, s]) => [blockId, { [INPUT_ACTION]: s }])),
    );
}

/** The Teams forms' toggles (Input.Toggle: "true" / "false"). */
const TOGGLES = ['anonymous', 'aiHumanReview'];

/** The Action.Submit data of a Teams dialog: every input by its id, as text ("a,b" for a multi-select). */
export function teamsFormData(fields: Record<string, Field>, strict: boolean): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([id, field]) => {
    const value: fc.Arbitrary<unknown> =
      field.type === 'text' || field.type === 'select'
        ? strict
          ? field.valid
          : field.value
        : field.type === 'multi' || field.type === 'checkboxes'
          ? (strict ? field.valid : field.value).map((vs) =>
              TOGGLES.includes(id) ? String(vs.length > 0) : vs.join(','),
            )
          : field.type === 'date'
            ? strict
              ? fc.constant('2030-01-31')
              : date
            : fc.constantFrom('29:user-tom', '', 'nobody');
    return (strict ? value : fc.option(value, { freq: 10, nil: undefined })).map((v) => [id, v] as const);
  });
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)));
}
