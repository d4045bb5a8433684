import { describe, expect, it } from 'vitest';
import { MENTION, parseCoeCommand } from '../../src/domain/coe-command.ts';
import { coeCommand, type Message, type MessageBlock, message } from '../../src/domain/message.ts';
import type { PersonRef, Platform } from '../../src/domain/people.ts';
import { mrkdwn, renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard, teamsText } from '../../src/platforms/teams/cards.ts';
import { answer, UNEXPECTED } from '../../src/services/answer.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { BLOCK_KIT_LIMITS, blockKitProblems } from '../support/block-kit-limits.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const silent = { error: () => {} };

/** Every message the CoE service produces today, as each platform would get it. */
async function producedMessages(platform: Platform): Promise<[string, Message][]> {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  const { admin: coe, commands } = buildServices(store, clock, {
    newToken: () => {
      throw new Error('no report is made here');
    },
  });
  const boss: PersonRef = { platform, externalId: 'BOSS', displayName: 'Boss & <Co>' };
  const other: PersonRef = { platform, externalId: 'OTHER', displayName: 'Ana **Bold**' };
  await coe.bootstrapCoeMembers([boss]);
  let n = 0;
  const ask = (actor: PersonRef, text: string, mentions: PersonRef[] = [], channelId: string | undefined = 'C1') =>
    answer(() => commands.handle({ actor, key: `k${++n}`, channelId }, parseCoeCommand(text, mentions)), silent);
  const out: [string, Message][] = [
    ['help', await ask(boss, '')],
    ['unknown', await ask(boss, 'launch FR-12 <!channel> & **all** [x](https://x.test)')],
    ['invalid setup', await ask(boss, 'setup nothing')],
    ['invalid status', await ask(boss, 'status FR-12 <!channel> & **all**')],
    ['status not found', await ask(other, 'status FR-12')],
    ['my reports, none', await ask(other, 'my reports')],
    ['queue denied', await ask(other, 'queue')],
    ['queue empty', await ask(boss, 'queue')],
    ['team added', await ask(boss, 'team add Warehouse & <Dock> **2**')],
    ['team list', await ask(other, 'team list')],
    ['invalid role', await ask(boss, 'role bob coe')],
    ['invalid layer', await ask(boss, `role ${MENTION} king`, [other])],
    ['permission denied', await ask(other, 'setup review-channel')],
    ['wrong place', await ask(boss, 'setup review-channel', [], undefined)],
    ['setup done', await ask(boss, 'setup review-channel')],
    ['role done', await ask(boss, `role ${MENTION} executive`, [other])],
    ['role unchanged', await ask(boss, `role ${MENTION} executive`, [other])],
    ['unexpected', UNEXPECTED],
  ];
  for (const row of store.outbox) out.push([`outbox ${row.key}`, row.body]);
  expect(store.outbox.map((r) => r.target.kind)).toEqual(['channel', 'dm']); // the announcement and the DM
  return out;
}

const long = (n: number, unit = 'x') => unit.repeat(n);

/** `value[k1][k2]…` of rendered JSON, or undefined. */
const dig = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);

describe('Slack: mrkdwn', () => {
  it('turns **bold** into *bold*', () => {
    expect(mrkdwn('a **big** and **bold** word')).toBe('a *big* and *bold* word');
  });

  it('turns [label](url) into a Slack link', () => {
    expect(mrkdwn('see [the SOP](https://coe.example/sop?v=1&t=2) now')).toBe(
      'see <https://coe.example/sop?v=1&amp;t=2|the SOP> now',
    );
    expect(mrkdwn('[not a link](javascript:alert(1))')).toBe('[not a link](javascript:alert(1))');
  });

  it('escapes & < > so text cannot become markup, mentions or broadcasts', () => {
    expect(mrkdwn('R&D <b> 1 > 0')).toBe('R&amp;D &lt;b&gt; 1 &gt; 0');
    expect(mrkdwn('<!channel> <@U123>')).toBe('&lt;!channel&gt; &lt;@U123&gt;');
  });

  it('leaves _italic_ and `code` as they are (same syntax in mrkdwn)', () => {
    expect(mrkdwn('_maybe_ `npm start`')).toBe('_maybe_ `npm start`');
  });
});

describe('Slack: renderMessage', () => {
  it('renders each kind of block', () => {
    const rendered = renderMessage(
      message(
        'summary',
        { type: 'heading', text: 'Q&A <now>' },
        { type: 'paragraph', text: '**Hi** & bye' },
        { type: 'divider' },
        { type: 'facts', facts: [{ label: 'Owner', value: '**Ana**' }] },
        { type: 'note', text: 'a <note>' },
        {
          type: 'actions',
          actions: [
            { id: 'coe.approve', label: 'Approve', value: 'CR-7', style: 'primary' },
            { id: 'coe.more', label: 'More', value: 'CR-7' },
          ],
        },
      ),
    );
    expect(rendered).toEqual({
      text: 'summary',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Q&A <now>', emoji: true } }, // plain text: not escaped
        { type: 'section', text: { type: 'mrkdwn', text: '*Hi* &amp; bye' } },
        { type: 'divider' },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Owner*\n*Ana*' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'a &lt;note&gt;' }] },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'coe.approve',
              text: { type: 'plain_text', text: 'Approve', emoji: true },
              value: 'CR-7',
              style: 'primary',
            },
            {
              type: 'button',
              action_id: 'coe.more',
              text: { type: 'plain_text', text: 'More', emoji: true },
              value: 'CR-7',
            },
          ],
        },
      ],
    });
  });

  it('escapes the fallback text as well, which Slack also reads as mrkdwn', () => {
    expect(renderMessage(message('**New** <!channel> & co')).text).toBe('*New* &lt;!channel&gt; &amp; co');
  });

  it('cuts long texts to the Block Kit limits, marking the cut', () => {
    const L = BLOCK_KIT_LIMITS;
    const rendered = renderMessage(
      message(
        long(50_000),
        { type: 'heading', text: long(500) },
        { type: 'paragraph', text: long(5000) },
        { type: 'paragraph', text: long(2000, '&') }, // 2000 characters that escaping makes 10 000
        { type: 'facts', facts: [{ label: long(100), value: long(5000, '<') }] },
        { type: 'note', text: long(9000) },
        { type: 'actions', actions: [{ id: 'a', label: long(200), value: long(5000) }] },
      ),
    );
    expect(blockKitProblems(rendered)).toEqual([]);
    const text = (...path: (string | number)[]) => String(dig(rendered.blocks, ...path));
    expect(text(0, 'text', 'text')).toHaveLength(L.headerText.max);
    expect(text(1, 'text', 'text')).toHaveLength(L.sectionText.max);
    expect(text(1, 'text', 'text').endsWith('…')).toBe(true);
    expect(text(2, 'text', 'text')).toHaveLength(L.sectionText.max);
    expect(text(3, 'fields', 0, 'text')).toHaveLength(L.fieldText.max);
    expect(text(4, 'elements', 0, 'text')).toHaveLength(L.textObject.max);
    expect(text(5, 'elements', 0, 'text', 'text')).toHaveLength(L.buttonText.max);
    expect(text(5, 'elements', 0, 'value')).toHaveLength(L.buttonValue.max);
    expect(rendered.text.length).toBeLessThanOrEqual(L.messageText.max);
  });

  it('splits many facts into sections of at most 10 fields', () => {
    const facts = Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: `V${i}` }));
    const rendered = renderMessage(message('f', { type: 'facts', facts }));
    expect(rendered.blocks.map((b) => ('fields' in b ? b.fields?.length : 0))).toEqual([10, 10, 3]);
    expect(blockKitProblems(rendered)).toEqual([]);
  });

  it('keeps a message with very many blocks or buttons within the limits', () => {
    const paragraphs: MessageBlock[] = Array.from({ length: 80 }, (_, i) => ({ type: 'paragraph', text: `p${i}` }));
    const manyBlocks = renderMessage(message('many', ...paragraphs));
    expect(blockKitProblems(manyBlocks)).toEqual([]);
    expect(manyBlocks.blocks).toHaveLength(BLOCK_KIT_LIMITS.blocksPerMessage.max);
    expect(manyBlocks.blocks.at(-1)).toMatchObject({ type: 'context' }); // says the message was shortened

    const actions = Array.from({ length: 30 }, (_, i) => ({ id: `act.${i}`, label: `A${i}`, value: `${i}` }));
    const manyButtons = renderMessage(message('buttons', { type: 'actions', actions }));
    expect(blockKitProblems(manyButtons)).toEqual([]);
    const ids = manyButtons.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(ids).toEqual(actions.map((a) => a.id)); // none lost
  });

  it('puts buttons sharing an action id in blocks of their own, which Slack accepts', () => {
    const offers = ['FR-2', 'FR-5', 'FR-9'].map((id) => ({
      id: 'friction.plus_one_instead',
      label: `+1 ${id}`,
      value: id,
    }));
    const rendered = renderMessage(
      message('offers', { type: 'actions', actions: [{ id: 'other', label: 'Other', value: '' }, ...offers] }),
    );
    expect(blockKitProblems(rendered)).toEqual([]);
    const rows = rendered.blocks.map((b) =>
      b.type === 'actions' ? b.elements.map((e) => String((e as { value?: string }).value)) : [],
    );
    expect(rows).toEqual([['', 'FR-2'], ['FR-5'], ['FR-9']]);
  });

  it.each(['slack', 'teams'] as const)(
    'renders every message the service produces for %s within the limits',
    async (p) => {
      const produced = await producedMessages(p);
      expect(produced.length).toBeGreaterThan(10);
      for (const [name, m] of produced) {
        const rendered = renderMessage(m);
        expect({ name, problems: blockKitProblems(rendered) }).toEqual({ name, problems: [] });
        expect(rendered.blocks.length).toBeGreaterThan(0);
      }
    },
  );

  it('escapes what people typed when the service echoes it', async () => {
    const [, unknown] = (await producedMessages('slack')).find(([name]) => name === 'unknown') ?? [];
    const json = JSON.stringify(renderMessage(unknown as Message));
    expect(json).toContain('&lt;!channel&gt; &amp; *all* <https://x.test|x>');
    expect(json).not.toContain('<!channel>');
  });
});

describe('a /coe command in the core’s text', () => {
  const said = message(
    `Follow it with ${coeCommand('status FR-7')}.`,
    { type: 'paragraph', text: `Follow it with ${coeCommand('status FR-7')}.` },
    { type: 'facts', facts: [{ label: 'Next', value: coeCommand('sop new <key> <title>') }] },
  );

  it('reads as the slash command in Slack, escaped like the rest', () => {
    const slack = renderMessage(said);
    expect(slack.text).toBe('Follow it with `/coe status FR-7`.');
    expect(JSON.stringify(slack.blocks)).toContain('`/coe sop new &lt;key&gt; &lt;title&gt;`');
    expect(JSON.stringify(slack)).not.toContain('{{');
  });

  it('reads as the words said to the bot in Teams', () => {
    const card = renderCard(said);
    expect(card.fallbackText).toBe('Follow it with status FR-7.');
    expect(JSON.stringify(card)).toContain('sop new <key> <title>');
    expect(JSON.stringify(card)).not.toMatch(/\{\{|\/coe/);
  });
});

describe('block-kit-limits checker', () => {
  it('finds every limit a hand-made message breaks', () => {
    const problems = blockKitProblems({
      text: 'ok',
      blocks: [
        ...Array.from({ length: 49 }, () => ({ type: 'divider' })),
        { type: 'header', text: { type: 'plain_text', text: long(151) } },
        { type: 'section', text: { type: 'mrkdwn', text: long(3001) } },
        { type: 'section', text: { type: 'mrkdwn', text: '' } },
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: long(2001) })) },
        { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: long(256), text: { type: 'plain_text', text: long(76) }, value: long(2001) },
          ],
        },
      ],
    });
    expect(problems).toEqual([
      'blocks: 55 items, at most 50',
      'blocks[49].text.text: 151 characters, allowed 1-150',
      'blocks[50].text.text: 3001 characters, allowed 1-3000',
      'blocks[51].text.text: 0 characters, allowed 1-3000',
      'blocks[52].fields: 11 items, at most 10',
      ...Array.from({ length: 11 }, (_, j) => `blocks[52].fields[${j}].text: 2001 characters, allowed 1-2000`),
      'blocks[53].elements: 11 items, at most 10',
      'blocks[54].elements[0].action_id: 256 characters, allowed 0-255',
      'blocks[54].elements[0].text.text: 76 characters, allowed 1-75',
      'blocks[54].elements[0].value: 2001 characters, allowed 0-2000',
    ]);
  });

  it('takes its numbers from slack_block_kit_limits.json', () => {
    expect(BLOCK_KIT_LIMITS.blocksPerMessage.max).toBe(50);
    expect(BLOCK_KIT_LIMITS.sectionText).toEqual({ min: 1, max: 3000 });
    expect(BLOCK_KIT_LIMITS.headerText.max).toBe(150);
    expect(BLOCK_KIT_LIMITS.buttonText.max).toBe(75);
    expect(BLOCK_KIT_LIMITS.actionId.max).toBe(255);
    expect(BLOCK_KIT_LIMITS.buttonValue.max).toBe(2000);
    expect(BLOCK_KIT_LIMITS.sectionFields.max).toBe(10);
    expect(BLOCK_KIT_LIMITS.fieldText.max).toBe(2000);
    expect(BLOCK_KIT_LIMITS.contextElements.max).toBe(10);
  });
});

describe('Teams: renderCard', () => {
  it.each(['slack', 'teams'] as const)(
    'makes a valid Adaptive Card 1.5 of every message the service produces (%s wording)',
    async (p) => {
      for (const [name, m] of await producedMessages(p)) {
        const card = renderCard(m);
        expect({ name, problems: adaptiveCardProblems(card) }).toEqual({ name, problems: [] });
        expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', fallbackText: teamsText(m.text) });
        expect(JSON.stringify(card)).not.toContain('`'); // Teams does not render `code`
      }
    },
  );

  it('renders every kind of block; buttons carry {coeAction, value}', () => {
    const card = renderCard(
      message(
        'all kinds',
        { type: 'heading', text: 'Title' },
        { type: 'paragraph', text: 'Run `help` for **more**' },
        { type: 'divider' },
        { type: 'facts', facts: [{ label: '`/coe help`', value: 'This list.' }] },
        { type: 'note', text: 'small print' },
        {
          type: 'actions',
          actions: [
            { id: 'coe.approve', label: 'Approve', value: 'CR-7', style: 'primary' },
            { id: 'coe.reject', label: 'Reject', value: 'CR-7', style: 'danger' },
            { id: 'coe.more', label: 'More', value: '{"id":7}' },
          ],
        },
      ),
    );
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(card.body.map((e) => e.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet', 'TextBlock', 'ActionSet']);
    expect(card.body[1]).toMatchObject({ text: 'Run help for **more**', wrap: true });
    expect(card.body[2]).toMatchObject({ separator: true, facts: [{ title: '/coe help', value: 'This list.' }] });
    expect(card.body[4]?.actions).toEqual([
      { type: 'Action.Submit', title: 'Approve', data: { coeAction: 'coe.approve', value: 'CR-7' }, style: 'positive' },
      {
        type: 'Action.Submit',
        title: 'Reject',
        data: { coeAction: 'coe.reject', value: 'CR-7' },
        style: 'destructive',
      },
      { type: 'Action.Submit', title: 'More', data: { coeAction: 'coe.more', value: '{"id":7}' } },
    ]);
  });

  it.each([
    ['a wrong version type', (c: Record<string, unknown>) => ({ ...c, version: 1.5 })],
    ['no version', ({ version: _, ...c }: Record<string, unknown>) => c],
    ['an unknown element', (c: Record<string, unknown>) => ({ ...c, body: [{ type: 'Paragraph', text: 'x' }] })],
    [
      'an unknown property',
      (c: Record<string, unknown>) => ({ ...c, body: [{ type: 'TextBlock', text: 'x', colour: 'red' }] }),
    ],
    [
      'a bad enum value',
      (c: Record<string, unknown>) => ({ ...c, body: [{ type: 'TextBlock', text: 'x', size: 'Huge' }] }),
    ],
    [
      'a fact without value',
      (c: Record<string, unknown>) => ({ ...c, body: [{ type: 'FactSet', facts: [{ title: 't' }] }] }),
    ],
  ])('fails validation with %s', (_name, breakIt) => {
    const card = renderCard(message('hello')) as unknown as Record<string, unknown>;
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(adaptiveCardProblems(breakIt(card)).length).toBeGreaterThan(0);
  });
});
