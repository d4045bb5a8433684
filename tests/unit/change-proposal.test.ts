/**
 * A change request carrying the proposed text of its standard, through the services on the in-memory store (issue
 * 11): stored with the request and edited by a revision, the clarity check shown to the requester and (compactly) on
 * the review message, and the release that assembles the next version's text, shows the difference before it
 * publishes, writes it with the version and says in each announcement what changed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { changeId } from '../../src/domain/change.ts';
import { SOP_TEXT_ACTIONS } from '../../src/domain/sop-text-messages.ts';
import type { PublishResult } from '../../src/services/release.ts';
import { mona, olga, WAREHOUSE_SLACK } from '../support/cast.ts';
import { changeForm, must, type World, world } from '../support/permission-table.ts';
import { SCANNING_KEY, SCANNING_V1 } from '../support/standard-texts.ts';

const KEY = SCANNING_KEY;
const V1 = SCANNING_V1.join('\n');
const V2 = V1.replace('charge the scanners.', 'charge the scanners at every break.');
/** Vague words, a step with nobody doing it, an acronym never spelled out: what the clarity check is for. */
const UNCLEAR = `${V2}\n3. Scan the shelf labels as needed, ASAP, etc.\n4. Report to the WMS team.`;

const shown = (value: unknown) => JSON.stringify(value);
const text = async (w: World, version: string) => {
  const [major, minor] = version.slice(1).split('.').map(Number);
  return (await w.repos((r) => r.sopTexts.get(KEY, { major: major ?? 1, minor: minor ?? 0 })))?.text;
};

let w: World;

beforeEach(async () => {
  w = await world('manager');
  await w.repos((r) =>
    r.sopTexts.add({
      sopKey: KEY,
      major: 1,
      minor: 0,
      text: V1,
      link: 'https://docs.example.com/scan',
      createdByPersonId: null,
    }),
  );
});

/** Mona raises a change proposing `proposed`; its number and her confirmation. */
async function raise(proposed: string | undefined, over: Record<string, unknown> = {}) {
  const result = await w.services.changes.submit(w.request(mona), changeForm({ proposedText: proposed, ...over }));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}
const approve = (number: number) => w.services.changes.decide(w.request(olga), 'approve', changeId(number));
/** The review message as it stands: its last version (posted, or updated in place). */
const reviewMessage = (number: number) =>
  w.store.outbox.filter((r) => r.target.kind !== 'dm' && r.body.text.startsWith(`${changeId(number)} `)).at(-1)?.body;

describe('a change request that proposes a text', () => {
  it('is stored with the request, and the clarity check is shown to the requester and on the review message', async () => {
    const { number, confirmation } = await raise(UNCLEAR);
    expect(await w.repos((r) => r.changeTexts.get(number))).toMatchObject({
      changeNumber: number,
      text: UNCLEAR,
      base: { major: 1, minor: 0 },
    });
    // The requester: the whole advice.
    const mine = shown(confirmation);
    expect(mine).toContain('**Proposed text of the standard** (');
    expect(mine).toContain('against v1.0: 3 lines added, 1 line removed.');
    expect(mine).toContain('**Clarity check** (advice; the CoE decides)');
    expect(mine).toMatch(/as needed/);
    expect(mine).toMatch(/ASAP/);
    // The reviewers: the changed lines and a few findings, "and N more".
    const review = must(reviewMessage(number), 'review message');
    const theirs = shown(review);
    expect(theirs).toContain(
      '"kind":"change","op":"added","text":"1. Shift lead: charge the scanners at every break."',
    );
    const facts = review.blocks.filter((b) => b.type === 'facts');
    expect(facts.at(-1)).toMatchObject({ type: 'facts', facts: [{}, {}, {}] });
    expect(theirs).toMatch(/…and \d+ more\./);
    // The version's text is untouched: a proposal is not a version.
    expect(await text(w, 'v1.0')).toBe(V1);
  });

  it('is refused when longer than a standard may be, and a request without one keeps none', async () => {
    const long = await w.services.changes.submit(w.request(mona), changeForm({ proposedText: 'x'.repeat(40_001) }));
    expect(long).toEqual({
      ok: false,
      errors: {
        proposedText:
          'The proposed text has 40,001 characters, more than 40,000: keep the standard minimal, or keep the detail in its linked document.',
      },
    });
    const { number, confirmation } = await raise(undefined);
    expect(await w.repos((r) => r.changeTexts.get(number))).toBeUndefined();
    expect(shown(confirmation)).not.toContain('Proposed text');
  });

  it('is kept and edited by "Revise and resubmit", and taken away when the field is emptied', async () => {
    const { number } = await raise(V2);
    await w.services.changes.decide(w.request(olga), 'requestChanges', changeId(number), 'Name who scans the labels.');
    const options = await w.services.changes.formOptions(mona, changeId(number));
    expect(options.values?.proposedText).toBe(V2);
    const revised = `${V2}\n3. Picker: scan the shelf labels.`;
    const again = await w.services.changes.submit(
      w.request(mona),
      changeForm({ proposedText: revised }),
      changeId(number),
    );
    expect(again.ok).toBe(true);
    expect((await w.repos((r) => r.changeTexts.get(number)))?.text).toBe(revised);
    expect(shown(reviewMessage(number))).toContain('3. Picker: scan the shelf labels.');
    await w.services.changes.decide(w.request(olga), 'requestChanges', changeId(number), 'Leave the text to the CoE.');
    await w.services.changes.submit(w.request(mona), changeForm({ proposedText: '' }), changeId(number));
    expect(await w.repos((r) => r.changeTexts.get(number))).toBeUndefined();
  });
});

describe('the release of approved changes that propose texts', () => {
  const publish = (changes: number[], previewed?: string, over: Record<string, unknown> = {}): Promise<PublishResult> =>
    w.services.releases.publish(
      { ...w.request(olga), ...(previewed ? { previewed } : {}) },
      { changes: changes.map(changeId), ...over },
    );

  it('shows the difference in the form, publishes only what it showed, and writes it with the version', async () => {
    const { number } = await raise(V2);
    await approve(number);
    const options = await w.services.releases.formOptions(olga, KEY);
    expect(options.standards[0]?.changes).toEqual([expect.objectContaining({ number, proposesText: true })]);
    const preview = must(options.prefill?.text, 'preview');
    expect(shown({ text: '', blocks: preview.blocks })).toContain('v1.1 takes the text CR-1 proposes.');
    expect(shown({ text: '', blocks: preview.blocks })).toContain('Against v1.0: 1 line added, 1 line removed.');

    // Without the form's fingerprint (or with another one) nothing is published: the form comes back with the text.
    const unseen = await publish([number]);
    expect(unseen).toMatchObject({
      ok: false,
      errors: { text: expect.stringMatching(/^The next version’s text is not what this form showed/) },
    });
    expect(unseen.ok === false && unseen.text?.fingerprint).toBe(preview.fingerprint);
    expect(w.store.releases).toEqual([]);

    const done = await publish([number], preview.fingerprint);
    expect(done.ok).toBe(true);
    expect(await text(w, 'v1.1')).toBe(V2);
    expect((await w.repos((r) => r.sopTexts.get(KEY, { major: 1, minor: 1 })))?.link).toBe(
      'https://docs.example.com/scan',
    );
    expect(await text(w, 'v1.0')).toBe(V1);

    // The announcement says what changed in the text, and offers the whole version.
    const announcement = must(
      w.store.outbox.find(
        (r) => r.target.kind === 'channel' && r.target.channelId === WAREHOUSE_SLACK && r.key.includes(':ann:'),
      ),
      'announcement',
    ).body;
    const said = shown(announcement);
    expect(said).toContain('**The text** since v1.0: +1 line, −1 line.');
    expect(said).toContain('"op":"added","text":"1. Shift lead: charge the scanners at every break."');
    expect(said).toContain('{{coe sop show inventory-scanning v1.1}}');
    expect(said).toContain('{{coe sop diff inventory-scanning v1.0 v1.1}}');
    const actions = announcement.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    const readIt = must(
      actions.find((a) => a.id === SOP_TEXT_ACTIONS.more),
      'Read it',
    );
    expect(readIt.label).toBe('Read it');
    const page = await w.services.sopTexts.more(readIt.value);
    expect(page.text).toBe('SOP-inventory-scanning v1.1: Inventory scanning');

    // `sop show` gives the new text, v1.0 the old one, and `sop diff` both ways.
    expect(shown(await w.coe(mona, `sop show ${KEY}`))).toContain('at every break');
    expect(shown(await w.coe(mona, `sop show ${KEY} v1.0`))).not.toContain('at every break');
    expect((await w.coe(mona, `sop diff ${KEY} v1.0 v1.1`)).text).toMatch(/1 line added, 1 line removed/);
    expect((await w.coe(mona, `sop diff ${KEY} v1.1 v1.0`)).text).toMatch(/1 line added, 1 line removed/);
  });

  it('publishes nothing the form did not show: leaving the proposing change out brings the form back', async () => {
    const withText = (await raise(V2, { title: 'Charge at every break' })).number;
    const without = (await raise(undefined, { title: 'Name the spare charger' })).number;
    await approve(withText);
    await approve(without);
    const shown = must((await w.services.releases.formOptions(olga, KEY)).prefill?.text, 'preview');
    expect(shown.summary).toBe('v1.1 takes the text CR-1 proposes.');
    const left = await publish([without], shown.fingerprint);
    expect(left).toMatchObject({
      ok: false,
      errors: { text: expect.stringMatching(/^The next version’s text is not/) },
    });
    const keep = must(left.ok === false ? left.text : undefined, 'preview');
    expect(keep.summary).toBe('No change in this release proposes a text: v1.1 keeps the text of v1.0 as it is.');
    expect(w.store.releases).toEqual([]);
    expect((await publish([without], keep.fingerprint)).ok).toBe(true);
    expect(await text(w, 'v1.1')).toBe(V1);
  });

  it('keeps the previous version’s text (and link) when no change proposes one, and says so', async () => {
    const { number } = await raise(undefined);
    await approve(number);
    const preview = must((await w.services.releases.formOptions(olga, KEY)).prefill?.text, 'preview');
    expect(shown({ text: '', blocks: preview.blocks })).toContain(
      'No change in this release proposes a text: v1.1 keeps the text of v1.0 as it is.',
    );
    expect((await publish([number])).ok).toBe(true);
    expect(await w.repos((r) => r.sopTexts.get(KEY, { major: 1, minor: 1 }))).toMatchObject({
      text: V1,
      link: 'https://docs.example.com/scan',
    });
    const announcement = must(
      w.store.outbox.find((r) => r.key.includes(':ann:')),
      'announcement',
    ).body;
    expect(shown(announcement)).toContain('**The text** is the same as in v1.0.');
  });

  it('combines proposals that change different lines; refuses a clash until the CoE picks whose text it takes', async () => {
    const a = (await raise(V2, { title: 'Charge at every break' })).number;
    const b = (await raise(`${V1}\n3. Picker: scan the shelf labels.`, { title: 'Scan the labels' })).number;
    await approve(a);
    await approve(b);
    const combined = must((await w.services.releases.formOptions(olga, KEY)).prefill?.text, 'preview');
    expect(shown({ text: '', blocks: combined.blocks })).toContain('v1.1 combines the texts CR-1 and CR-2 propose');
    expect((await publish([a, b], combined.fingerprint)).ok).toBe(true);
    expect(await text(w, 'v1.1')).toBe(`${V2}\n3. Picker: scan the shelf labels.`);

    // Two texts changing the same line differently: refused, with why, until one is picked.
    const c = (await raise(V2.replace('every break', 'lunch'), { title: 'Charge at lunch' })).number;
    const d = (await raise(V2.replace('every break', 'shift end'), { title: 'Charge at shift end' })).number;
    await approve(c);
    await approve(d);
    const clash = await publish([c, d]);
    expect(clash).toMatchObject({
      ok: false,
      errors: {
        text: 'CR-3 and CR-4 change line 5 of v1.1 in different ways, so their texts cannot be combined. Pick whose text v1.2 takes as proposed (the others’ lines are then left out), or leave one of them out of this release.',
      },
    });
    const unknown = await publish([c, d], undefined, { text: 'CR-1' });
    expect(unknown).toMatchObject({
      ok: false,
      errors: { text: expect.stringMatching(/^CR-1 is not one of the changes/) },
    });
    const picked = await publish([c, d], undefined, { text: changeId(d) });
    expect(picked).toMatchObject({
      ok: false,
      errors: { text: expect.stringMatching(/^The next version’s text is not what/) },
    });
    const fingerprint = must(picked.ok === false ? picked.text : undefined, 'preview').fingerprint;
    expect(shown(picked)).toContain(
      'v1.2 takes the text CR-4 proposes, as proposed. The text CR-3 proposes is left out.',
    );
    expect((await publish([c, d], fingerprint, { text: changeId(d) })).ok).toBe(true);
    expect(await text(w, 'v1.2')).toBe(V2.replace('every break', 'shift end'));
  });
});
