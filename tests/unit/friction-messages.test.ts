import { describe, expect, it } from 'vitest';
import { FRICTION_STATUSES, type FrictionStatus, LIMITS } from '../../src/domain/friction.ts';
import {
  confirmationMessage,
  FRICTION_ACTIONS,
  type FrictionView,
  parsePlusOneValue,
  plusOneValue,
  recurringPatternMessage,
  reportListMessage,
  reviewMessage,
  type SimilarOffer,
  statusChangeMessage,
  statusMessage,
} from '../../src/domain/friction-messages.ts';
import type { Message, MessageAction } from '../../src/domain/message.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';

const view = (over: Partial<FrictionView> = {}): FrictionView => ({
  number: 12,
  kind: 'tool_friction',
  title: 'Scanner dies after 30 minutes',
  description: 'It switches off mid-shift.',
  team: 'Warehouse',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  relatedSop: null,
  sourceLink: null,
  status: 'new',
  rootCause: null,
  declineReason: null,
  duplicateOf: null,
  plusOnes: 0,
  anonymous: false,
  reporterName: 'Rita Reporter',
  ownerName: null,
  ...over,
});

/** Text that Slack's escaping makes five times longer (& → &amp;), with markup people might type. */
const heavy = (n: number) => '& <!channel> **b** '.repeat(Math.ceil(n / 19)).slice(0, n);

/** Every field at the longest the forms (or the platforms, for names) allow. */
const maximal = (over: Partial<FrictionView> = {}): FrictionView =>
  view({
    number: 123_456_789,
    title: heavy(LIMITS.title),
    description: heavy(LIMITS.description),
    team: heavy(LIMITS.team),
    tool: heavy(LIMITS.tool),
    relatedSop: heavy(LIMITS.relatedSop),
    sourceLink: `https://raccoons.slack.com/archives/${'p'.repeat(LIMITS.sourceLink - 36)}`,
    rootCause: heavy(LIMITS.rootCause),
    declineReason: heavy(LIMITS.reason),
    duplicateOf: 123_456_788,
    plusOnes: 999_999,
    reporterName: heavy(255),
    ownerName: heavy(255),
    ...over,
  });

const actionsOf = (message: Message): MessageAction[] =>
  message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));

const textOf = (message: Message) => JSON.stringify(message);

describe('the review message', () => {
  const buttons: Record<FrictionStatus, string[]> = {
    new: [FRICTION_ACTIONS.triage, FRICTION_ACTIONS.duplicate, FRICTION_ACTIONS.decline],
    triaged: [FRICTION_ACTIONS.rootCause, FRICTION_ACTIONS.duplicate, FRICTION_ACTIONS.decline],
    analysing: [FRICTION_ACTIONS.rootCause, FRICTION_ACTIONS.duplicate, FRICTION_ACTIONS.decline],
    in_change: [],
    resolved: [],
    declined: [],
    duplicate: [],
  };

  it.each(FRICTION_STATUSES)('offers the decisions still open on a report that is %s', (status) => {
    const message = reviewMessage(view({ status }));
    const actions = actionsOf(message);
    expect(actions.map((a) => a.id)).toEqual(buttons[status]);
    for (const action of actions) expect(action.value).toBe('FR-12');
    if (actions.length === 0) expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('opens a form for root cause, duplicate and decline, and triages at once', () => {
    const forms = (status: FrictionStatus) =>
      Object.fromEntries(actionsOf(reviewMessage(view({ status }))).map((a) => [a.id, a.opensForm === true]));
    expect(forms('new')).toEqual({
      [FRICTION_ACTIONS.triage]: false,
      [FRICTION_ACTIONS.duplicate]: true,
      [FRICTION_ACTIONS.decline]: true,
    });
    expect(forms('triaged')).toMatchObject({ [FRICTION_ACTIONS.rootCause]: true });
    const styles = actionsOf(reviewMessage(view())).map((a) => a.style);
    expect(styles).toEqual(['primary', undefined, 'danger']);
  });

  it('shows the report: id and title, facts, description, outcome and where it came from', () => {
    const message = reviewMessage(
      view({
        status: 'analysing',
        ownerName: 'Olga Owner',
        relatedSop: 'SOP-inventory-scanning',
        rootCause: 'Power saving turns the scanner off.',
        sourceLink: 'https://raccoons.slack.com/archives/C1/p1',
        plusOnes: 3,
      }),
    );
    expect(message.text).toBe('FR-12 analysing: Scanner dies after 30 minutes (Inventory scanner)');
    expect(message.blocks[0]).toEqual({ type: 'heading', text: 'FR-12 · Scanner dies after 30 minutes' });
    const facts = message.blocks.find((b) => b.type === 'facts');
    expect(facts?.type === 'facts' && Object.fromEntries(facts.facts.map((f) => [f.label, f.value]))).toEqual({
      Status: 'Analysing',
      Kind: 'Tool friction',
      'Tool or process': 'Inventory scanner',
      Team: 'Warehouse',
      'How often': 'Daily',
      Impact: 'High',
      '+1': '3',
      Owner: 'Olga Owner',
      'Related SOP': 'SOP-inventory-scanning',
      'Reported by': 'Rita Reporter',
    });
    expect(message.blocks).toContainEqual({ type: 'paragraph', text: 'It switches off mid-shift.' });
    expect(message.blocks).toContainEqual({
      type: 'paragraph',
      text: '**Root cause:** Power saving turns the scanner off.',
    });
    expect(message.blocks).toContainEqual({
      type: 'note',
      text: 'From [this message](https://raccoons.slack.com/archives/C1/p1)',
    });
  });

  it('says why a report was declined, or which one it duplicates', () => {
    expect(reviewMessage(view({ status: 'declined', declineReason: 'Works as designed.' })).blocks).toContainEqual({
      type: 'paragraph',
      text: '**Declined:** Works as designed.',
    });
    expect(reviewMessage(view({ status: 'duplicate', duplicateOf: 4 })).blocks).toContainEqual({
      type: 'paragraph',
      text: '**Duplicate of** FR-4',
    });
  });

  it('shows an anonymous report as anonymous and never names anyone as its reporter', () => {
    // Even if a name reached the view by mistake, an anonymous report does not show it.
    const message = reviewMessage(view({ anonymous: true, reporterName: 'Secret Sam' }));
    const facts = message.blocks.find((b) => b.type === 'facts');
    expect(facts?.type === 'facts' && facts.facts.find((f) => f.label === 'Reported by')?.value).toBe('anonymous');
    expect(textOf(message)).not.toContain('Secret Sam');
  });

  it('shows "someone" when the reporter has no known name', () => {
    const facts = reviewMessage(view({ reporterName: null })).blocks.find((b) => b.type === 'facts');
    expect(facts?.type === 'facts' && facts.facts.at(-1)).toEqual({ label: 'Reported by', value: 'someone' });
  });
});

describe('the status message', () => {
  it.each(FRICTION_STATUSES)('never names the reporter (%s)', (status) => {
    for (const anonymous of [false, true]) {
      const message = statusMessage(view({ status, anonymous, reporterName: 'Rita Reporter' }));
      expect(textOf(message)).not.toContain('Rita Reporter');
      expect(textOf(message)).not.toContain('Reported by');
      expect(actionsOf(message)).toEqual([]);
    }
  });

  it('tells where the report stands', () => {
    const message = statusMessage(view({ status: 'declined', declineReason: 'Out of scope.', ownerName: 'Olga' }));
    expect(message.text).toBe('FR-12 is declined: Scanner dies after 30 minutes');
    expect(message.blocks).toContainEqual({ type: 'paragraph', text: '**Declined:** Out of scope.' });
    expect(textOf(message)).toContain('Olga');
  });
});

describe('the confirmation', () => {
  const similar: SimilarOffer[] = [
    { number: 9, title: 'Scanner switches off', plusOnes: 2 },
    { number: 4, title: 'Scanner battery', plusOnes: 0 },
  ];
  const token = 'tok_ABCdef-123';

  it('gives the id and offers a +1 on each similar report given, and on no other', () => {
    const message = confirmationMessage({ number: 12, title: 'Scanner dies', anonymous: false }, similar, {
      claimToken: token,
      reviewChannel: true,
    });
    expect(message.text).toBe('Thanks: your report is FR-12.');
    const actions = actionsOf(message);
    expect(actions.map((a) => [a.id, a.label])).toEqual([
      [FRICTION_ACTIONS.plusOneInstead, '+1 FR-9 instead'],
      [FRICTION_ACTIONS.plusOneInstead, '+1 FR-4 instead'],
    ]);
    expect(actions.map((a) => parsePlusOneValue(a.value))).toEqual([
      { from: 12, to: 9, token },
      { from: 12, to: 4, token },
    ]);
    expect(message.blocks).toContainEqual({ type: 'paragraph', text: 'FR-9 · Scanner switches off (+2)' });
    expect(textOf(message)).toContain('status FR-12');
  });

  it('offers nothing when nothing similar is given', () => {
    const message = confirmationMessage({ number: 3, title: 'x', anonymous: false }, [], {
      claimToken: token,
      reviewChannel: true,
    });
    expect(actionsOf(message)).toEqual([]);
    expect(textOf(message)).not.toContain('look similar');
  });

  it('says when the report waits for the CoE to set up a review channel', () => {
    const waiting = confirmationMessage({ number: 3, title: 'x', anonymous: false }, [], {
      claimToken: token,
      reviewChannel: false,
    });
    expect(textOf(waiting)).toContain('as soon as they set up their review channel');
  });

  it('reassures an anonymous reporter and tells them to keep the id', () => {
    const message = confirmationMessage({ number: 3, title: 'x', anonymous: true }, [], {
      claimToken: token,
      reviewChannel: true,
    });
    expect(message.blocks).toContainEqual({
      type: 'note',
      text: 'Submitted anonymously: nobody, the CoE included, can see it came from you. Keep FR-3 to follow it.',
    });
  });
});

describe('+1 button values', () => {
  it('round-trip', () => {
    expect(parsePlusOneValue(plusOneValue(123_456_789, 1, 'a'.repeat(64)))).toEqual({
      from: 123_456_789,
      to: 1,
      token: 'a'.repeat(64),
    });
  });

  it.each([
    '',
    '12:9',
    '12:9:short',
    `12:9:${'a'.repeat(65)}`,
    '12:9:token with space',
    'FR-12:9:abcdefgh',
    '12:-9:abcdefgh',
    '12:9:abcdefgh:extra',
  ])('refuses %j', (value) => {
    expect(parsePlusOneValue(value)).toBeUndefined();
  });
});

describe('other friction messages', () => {
  it('tells a status change with the reason', () => {
    const message = statusChangeMessage(view({ status: 'triaged' }), 'Olga triaged it and took ownership.');
    expect(message.text).toBe('FR-12 "Scanner dies after 30 minutes" is now triaged.');
    expect(message.blocks).toContainEqual({ type: 'paragraph', text: 'Olga triaged it and took ownership.' });
    expect(textOf(message)).not.toContain('Rita Reporter');
  });

  it('alerts on a recurring pattern with the reports it counted', () => {
    const message = recurringPatternMessage('Inventory scanner', [1, 2, 3], 14);
    expect(message.text).toBe('Recurring pattern: 3 reports about "Inventory scanner" in 14 days (FR-1, FR-2, FR-3).');
  });

  it('lists reports, or says there are none', () => {
    const list = reportListMessage('My reports', [view(), view({ number: 13, plusOnes: 2, status: 'triaged' })], '-');
    expect(list.blocks[1]).toEqual({
      type: 'facts',
      facts: [
        { label: 'FR-12 · New', value: 'Scanner dies after 30 minutes' },
        { label: 'FR-13 · Triaged', value: 'Scanner dies after 30 minutes (+2)' },
      ],
    });
    expect(reportListMessage('My reports', [], 'Nothing yet.')).toEqual({
      text: 'My reports: Nothing yet.',
      blocks: [
        { type: 'heading', text: 'My reports' },
        { type: 'paragraph', text: 'Nothing yet.' },
      ],
    });
  });
});

describe('every friction message at maximal length', () => {
  const similar: SimilarOffer[] = [1, 2, 3].map((i) => ({
    number: 123_456_780 + i,
    title: heavy(LIMITS.title),
    plusOnes: 999_999,
  }));
  const claimToken = 'T'.repeat(64);
  const messages: [string, Message][] = [
    ...FRICTION_STATUSES.map((status): [string, Message] => [`review ${status}`, reviewMessage(maximal({ status }))]),
    ['review anonymous', reviewMessage(maximal({ anonymous: true, reporterName: null }))],
    ...FRICTION_STATUSES.map((status): [string, Message] => [`status ${status}`, statusMessage(maximal({ status }))]),
    [
      'confirmation',
      confirmationMessage({ number: 123_456_789, title: heavy(LIMITS.title), anonymous: true }, similar, {
        claimToken,
        reviewChannel: false,
      }),
    ],
    [
      'status change',
      statusChangeMessage(maximal({ status: 'analysing' }), `${heavy(255)} recorded the root cause: ${heavy(2000)}`),
    ],
    [
      'recurring pattern',
      recurringPatternMessage(
        heavy(LIMITS.tool),
        Array.from({ length: 200 }, (_, i) => 123_456_000 + i),
        365,
      ),
    ],
    [
      'report list',
      reportListMessage(
        'Triage queue',
        Array.from({ length: 20 }, () => maximal()),
        '-',
      ),
    ],
  ];

  it.each(messages)('%s stays within the Block Kit limits and keeps its buttons intact', (_name, message) => {
    const slack = renderMessage(message);
    expect(blockKitProblems(slack)).toEqual([]);
    const rendered = slack.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    // Buttons survive rendering whole: their values are what the service reads back.
    expect(rendered.map((e) => ('value' in e ? e.value : undefined))).toEqual(actionsOf(message).map((a) => a.value));
  });

  it.each(messages)('%s renders to a valid Adaptive Card 1.5 Teams can carry', (_name, message) => {
    const card = renderCard(message);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    // Teams refuses bot messages over about 28 KB.
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28_000);
    const values = card.body.flatMap((e) =>
      e.type === 'ActionSet' ? (e.actions as { data: { value: string } }[]).map((a) => a.data.value) : [],
    );
    expect(values).toEqual(actionsOf(message).map((a) => a.value));
  });

  it('keeps the id in the heading and the +1 values parseable', () => {
    const [, review] = messages[0] as [string, Message];
    expect(renderMessage(review).blocks[0]).toMatchObject({ type: 'header' });
    expect(JSON.stringify(renderMessage(review).blocks[0])).toContain('FR-123456789 · ');
    const [, confirmation] = messages.find(([name]) => name === 'confirmation') as [string, Message];
    expect(actionsOf(confirmation).map((a) => parsePlusOneValue(a.value)?.to)).toEqual([
      123_456_781, 123_456_782, 123_456_783,
    ]);
  });
});
