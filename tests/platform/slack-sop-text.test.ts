/**
 * Standards people can read, through the real Bolt app (issue 11): `/coe sop new` opens the baseline form (key,
 * title, owner, text, link) and registers v1.0 with its text; `/coe sop show` pages a standard's text within Block
 * Kit's limits with "Show more"; `/coe sop show <key> v1.0` and `/coe sop diff` read the history; bad input is
 * answered kindly and changes nothing — signed HTTP requests in, a fake Slack Web API behind, on each database.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SOP_TEXT_ACTIONS } from '../../src/domain/sop-text-messages.ts';
import { SOP_FORM_BLOCKS, SOP_TEXT_PARTS, VIEWS } from '../../src/platforms/slack/ids.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { blocksText, slackStory } from '../support/slack-harness.ts';
import { messageButtonPayload } from '../support/slack-interactions.ts';
import { longStandard } from '../support/standard-texts.ts';

const COE = { id: 'UCOE1', name: 'cora' };
const MGR = { id: 'UMGR1', name: 'mike' };
const WORKER = { id: 'UWORK1', name: 'wendy' };
const REVIEW = 'C0REVIEW';
const GENERAL = 'C0GENERAL';
const B = SOP_FORM_BLOCKS;

type Json = Record<string, unknown>;

const V1 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners.
2. Picker: scan each item.

## Checklist

- [ ] Scanners charged
- [x] Spare on the charger
`;

describe.each(databaseKinds())('standards’ texts in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { coe, openFrom, submit, interact } = story;
  /** A press on a button of a private answer (which has no channel message to find). */
  const press = (
    user: typeof WORKER,
    channel: string,
    message: { ts: string; text: string; blocks?: unknown },
    actionId: string,
  ) => interact(messageButtonPayload({ user, channel, message, actionId }));
  let { db, slack } = story;
  beforeEach(() => {
    ({ db, slack } = story);
  });

  const form = (values: Record<string, string | null> = {}) => ({
    [B.key]: 'inventory-scanning',
    [B.title]: 'Inventory scanning',
    [B.owner]: MGR.id,
    [B.text]: V1,
    [B.link]: 'https://docs.example.com/scan',
    ...values,
  });
  /** `/coe sop new` → the form → submitted: the ack's body. */
  const registerBaseline = async (values: Record<string, string | null> = {}) => {
    const view = await openFrom('/coe', 'sop new', COE);
    return submit(view, form(values), COE);
  };
  /** A reply as a message a person can press a button on. */
  const asMessage = (reply: { text: string; blocks?: unknown[] }) => ({ ts: '1700000000.000100', ...reply });
  const moreButton = (blocks: unknown) => JSON.stringify(blocks).includes(`"action_id":"${SOP_TEXT_ACTIONS.more}"`);
  /** v1.1 as a release makes it, with its text (the seam change requests carrying text will use). */
  const releaseV11 = async (text: string) => {
    await db.prisma.sopRelease.create({
      data: {
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 1,
        notes: 'Charge at every break.',
        tags: ['clarify'],
        changes: [],
        teamIds: [],
        submissionKey: 'release-v1.1',
      },
    });
    await db.prisma.sopText.create({ data: { sopKey: 'inventory-scanning', major: 1, minor: 1, text } });
  };

  it('registers a baseline from the form: text, link and owner kept, the clarity check shown', async () => {
    const view = await openFrom('/coe', 'sop new', COE, 2500);
    expect(view.callback_id).toBe(VIEWS.sopForm);
    const blocks = (view.blocks as Json[]).map((b) => b.block_id);
    expect(blocks).toEqual([B.key, B.title, B.owner, B.text, ...SOP_TEXT_PARTS, B.link]);
    const body = await submit(view, form({ [B.text]: `${V1}\nReport a fault ASAP.` }), COE);
    expect(body.response_action).toBe('update');
    const shown = blocksText((body.view as Json).blocks);
    expect(shown).toContain('Done: SOP-inventory-scanning v1.0');
    expect(shown).toContain('Clarity check');
    expect(shown).toContain('sets no deadline');
    const text = await db.prisma.sopText.findUnique({
      where: { sopKey_major_minor: { sopKey: 'inventory-scanning', major: 1, minor: 0 } },
    });
    expect(text?.text).toContain('1. Shift lead: charge the scanners.');
    expect(text?.link).toBe('https://docs.example.com/scan');
    const sop = await db.prisma.sop.findUnique({ where: { key: 'inventory-scanning' } });
    const owner = await db.prisma.platformIdentity.findUnique({
      where: { platform_externalId: { platform: 'slack', externalId: MGR.id } },
    });
    expect(sop?.ownerPersonId).toBe(owner?.personId);
  });

  it('joins a text longer than one box, and a key typed after sop new is filled in', async () => {
    const long = longStandard(11_000);
    const lines = long.split('\n');
    const parts: string[] = [];
    for (const line of lines) {
      const last = parts.at(-1);
      if (last !== undefined && last.length + 1 + line.length <= 3000) parts[parts.length - 1] = `${last}\n${line}`;
      else parts.push(line);
    }
    expect(parts.length).toBe(4);
    const view = await openFrom('/coe', 'sop new Inventory-Scanning', COE);
    expect(JSON.stringify(view)).toContain('"initial_value":"inventory-scanning"');
    const values = Object.fromEntries([B.text, ...SOP_TEXT_PARTS].map((block, i) => [block, parts[i] ?? null]));
    const body = await submit(view, { [B.title]: 'Inventory scanning', ...values }, COE);
    expect(body.response_action).toBe('update');
    const text = await db.prisma.sopText.findFirst();
    expect(text?.text).toBe(long.trim());
  });

  it('shows a 20,000-character standard page by page within Block Kit limits, "Show more" to the end', async () => {
    await registerBaseline();
    await releaseV11(longStandard(20_000));
    const first = await coe('sop show inventory-scanning', WORKER, GENERAL);
    expect(first.response_type).toBe('ephemeral');
    expect(first.text).toBe('SOP-inventory-scanning v1.1: Inventory scanning');
    expect(blockKitProblems(first)).toEqual([]);
    expect(blocksText(first.blocks)).toContain('*Inventory scanning*');
    expect(blocksText(first.blocks)).toContain('☐ Scanner charged above 50%');
    expect(moreButton(first.blocks)).toBe(true);
    let message = asMessage(first);
    let pages = 1;
    while (moreButton(message.blocks)) {
      const before = slack.calls('chat.postEphemeral').length;
      await press(WORKER, GENERAL, message, SOP_TEXT_ACTIONS.more);
      const [call] = (await slack.waitForCalls('chat.postEphemeral', before + 1)).slice(before);
      expect(call?.args.user).toBe(WORKER.id);
      expect(call?.args.channel).toBe(GENERAL);
      const next = { text: String(call?.args.text), blocks: call?.args.blocks as unknown[] };
      expect(blockKitProblems(next)).toEqual([]);
      expect(JSON.stringify(next.blocks).length).toBeLessThan(11_000);
      message = asMessage(next);
      pages++;
    }
    expect(message.text).toMatch(new RegExp(`\\(page ${pages} of ${pages}\\)$`));
    expect(pages).toBeGreaterThan(3);
    expect(story.blockKit().problems).toEqual([]);
  });

  it('shows an earlier version on request, and what changed between two, both ways', async () => {
    await registerBaseline();
    await releaseV11(V1.replace('charge the scanners.', 'charge the scanners at every break.'));
    const now = await coe('sop show inventory-scanning', WORKER, GENERAL);
    expect(blocksText(now.blocks)).toContain('at every break');
    expect(blocksText(now.blocks)).toContain('`/coe sop diff inventory-scanning v1.0 v1.1`');
    const old = await coe('sop show inventory-scanning v1.0', WORKER, GENERAL);
    expect(old.text).toBe('SOP-inventory-scanning v1.0: Inventory scanning');
    expect(blocksText(old.blocks)).not.toContain('at every break');
    expect(blocksText(old.blocks)).toContain('the current one is v1.1');
    const diff = await coe('sop diff inventory-scanning v1.0 v1.1', WORKER, GENERAL);
    expect(diff.text).toBe('SOP-inventory-scanning v1.0 → v1.1: 1 line added, 1 line removed.');
    expect(blocksText(diff.blocks)).toContain(
      '- 1. Shift lead: charge the scanners.\\n+ 1. Shift lead: charge the scanners at every break.',
    );
    const back = await coe('sop diff inventory-scanning v1.1 v1.0', WORKER, GENERAL);
    expect(blocksText(back.blocks)).toContain(
      '- 1. Shift lead: charge the scanners at every break.\\n+ 1. Shift lead: charge the scanners.',
    );
    for (const reply of [now, old, diff, back]) expect(blockKitProblems(reply)).toEqual([]);
  });

  it('answers bad input kindly and changes nothing', async () => {
    await registerBaseline();
    const before = await db.prisma.sopText.findMany();
    const unknown = await coe('sop show payroll', WORKER, GENERAL);
    expect(unknown.text).toBe('There is no SOP-payroll. See the registered standards with `/coe sop list`.');
    const version = await coe('sop show inventory-scanning v3.0', WORKER, GENERAL);
    expect(version.text).toBe('SOP-inventory-scanning has no v3.0: its versions are v1.0.');
    const diff = await coe('sop diff inventory-scanning v1.0 v1.0', WORKER, GENERAL);
    expect(diff.text).toMatch(/^Name two different versions/);
    // A forged "Show more" is out of date.
    const forged = {
      ts: '1700000000.000200',
      text: 'x',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: SOP_TEXT_ACTIONS.more,
              value: 'show:inventory-scanning:v1.0:99',
              text: { type: 'plain_text', text: 'Show more' },
            },
          ],
        },
      ],
    };
    const calls = slack.calls('chat.postEphemeral').length;
    await press(WORKER, GENERAL, forged, SOP_TEXT_ACTIONS.more);
    const [answer] = (await slack.waitForCalls('chat.postEphemeral', calls + 1)).slice(calls);
    expect(String(answer?.args.text)).toBe('That button is out of date. Nothing was changed.');
    expect(await db.prisma.sopText.findMany()).toEqual(before);
  });

  it('says what to fix under the form’s fields, and a key in use keeps its text', async () => {
    const view = await openFrom('/coe', 'sop new', COE);
    const bad = await submit(view, form({ [B.key]: '!', [B.link]: 'ftp://nope' }), COE);
    expect(bad).toEqual({
      response_action: 'errors',
      errors: {
        [B.key]: 'Give the standard a key of letters, digits and dashes, like inventory-scanning.',
        [B.link]: 'Give the link as a web address, starting with https://.',
      },
    });
    expect(await db.prisma.sop.count()).toBe(0);
    await registerBaseline();
    const taken = await registerBaseline({ [B.text]: 'A different text.' });
    expect(taken).toEqual({
      response_action: 'errors',
      errors: {
        [B.key]: 'SOP-inventory-scanning is registered already: see it with /coe sop show inventory-scanning.',
      },
    });
    const kept = await db.prisma.sopText.findMany();
    expect(kept.map((t) => t.text)).toEqual([V1.trim()]);
  });

  it('registers once when the form is sent twice, and never opens it for a worker', async () => {
    const view = await openFrom('/coe', 'sop new', COE);
    const ids = { viewId: 'VSOP1', hash: '1700000000.abc' };
    expect((await submit(view, form(), COE, ids)).response_action).toBe('update');
    const again = await submit(view, form(), COE, ids);
    expect(blocksText((again.view as Json).blocks)).toContain('Already done.');
    expect(await db.prisma.sopText.count()).toBe(1);
    const opened = slack.calls('views.open').length;
    const refused = await coe('sop new', WORKER, GENERAL);
    expect(refused).toMatchObject({ response_type: 'ephemeral', text: 'Only CoE members register standards.' });
    expect(slack.calls('views.open')).toHaveLength(opened);
  });
});
