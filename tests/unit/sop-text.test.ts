/**
 * What standards say (issue 11), through the services on the in-memory store: the baseline form with its text and
 * link, `sop show <key> [vX.Y]` a page at a time, `sop diff`, "Show more", the clarity check on a new baseline, and
 * bad input answered kindly with nothing changed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import {
  moreValue,
  parseMoreValue,
  parseVersion,
  SOP_TEXT_LIMITS,
  validateSopForm,
} from '../../src/domain/sop-text.ts';
import { SOP_TEXT_ACTIONS } from '../../src/domain/sop-text-messages.ts';
import { carl, expectCoeError, mona, olga, wanda } from '../support/cast.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';
import { longStandard } from '../support/standard-texts.ts';

const V1 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners.
2. Picker: scan each item.
`;
const V2 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners at every break.
2. Picker: scan each item.
3. Picker: scan the shelf label.
`;

describe('the baseline form and the words for versions', () => {
  it('takes a key, a title, a text and a link, normalised', () => {
    expect(
      validateSopForm({
        key: ' SOP-Inventory Scanning ',
        title: '  Inventory   scanning ',
        text: 'Line one  \r\nLine two\n\n',
        link: 'https://docs.example.com/x',
      }),
    ).toEqual({
      ok: true,
      value: {
        key: 'inventory-scanning',
        title: 'Inventory scanning',
        text: 'Line one\nLine two',
        link: 'https://docs.example.com/x',
      },
    });
    expect(validateSopForm({ key: 'returns', title: 'Returns' })).toEqual({
      ok: true,
      value: { key: 'returns', title: 'Returns' },
    });
  });

  it('says what to fix under each field', () => {
    const result = validateSopForm({
      key: '!',
      title: 't'.repeat(121),
      text: 'x'.repeat(SOP_TEXT_LIMITS.text + 1),
      link: 'ftp://files.example.com/sop',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        key: 'Give the standard a key of letters, digits and dashes, like inventory-scanning.',
        title: 'Keep the title under 120 characters.',
        text: 'The text has 40,001 characters, more than 40,000: keep the standard minimal, or link to its document and keep the essentials here.',
        link: 'Give the link as a web address, starting with https://.',
      },
    });
    expect(validateSopForm({ key: 'returns', title: '' })).toMatchObject({
      errors: { title: 'Give the standard a title.' },
    });
    expect(validateSopForm({ key: 'returns', title: 'R', link: 'not a link' })).toMatchObject({ ok: false });
  });

  it('reads versions and "Show more" values, and refuses forged ones', () => {
    expect(parseVersion('v1.0')).toEqual({ major: 1, minor: 0 });
    expect(parseVersion('V2.13')).toEqual({ major: 2, minor: 13 });
    expect(parseVersion('1.1')).toEqual({ major: 1, minor: 1 });
    for (const bad of ['v1', '1.0.0', 'latest', 'v-1.0', '']) expect(parseVersion(bad)).toBeUndefined();
    const show = { kind: 'show', key: 'inventory-scanning', version: { major: 1, minor: 2 }, page: 3 } as const;
    const diff = {
      kind: 'diff',
      key: 'returns',
      from: { major: 1, minor: 0 },
      to: { major: 2, minor: 0 },
      page: 2,
    } as const;
    expect(moreValue(show)).toBe('show:inventory-scanning:v1.2:3');
    expect(parseMoreValue(moreValue(show))).toEqual(show);
    expect(parseMoreValue(moreValue(diff))).toEqual(diff);
    for (const forged of [
      'show:x:v1.0:2',
      'show:returns:v1.0:0',
      'diff:returns:v1.0:2',
      'show:returns:v1.0:v1.1:2',
      'constructor',
    ]) {
      expect(parseMoreValue(forged), forged).toBeUndefined();
    }
  });

  it('parses sop new, show and diff', () => {
    const parse = (text: string) => parseCoeCommand(text);
    expect(parse('sop new')).toEqual({ kind: 'sopForm' });
    expect(parse('sop new SOP-Returns')).toEqual({ kind: 'sopForm', key: 'returns' });
    expect(parse('sop new returns Returns and refunds')).toEqual({
      kind: 'sopNew',
      key: 'returns',
      title: 'Returns and refunds',
    });
    expect(parse('sop show returns V1.2')).toEqual({
      kind: 'sopShow',
      key: 'returns',
      version: { major: 1, minor: 2 },
    });
    expect(parse('sop diff returns v1.0 v1.1')).toEqual({
      kind: 'sopDiff',
      key: 'returns',
      from: { major: 1, minor: 0 },
      to: { major: 1, minor: 1 },
    });
    expect(parse('sop diff returns v1.0')).toEqual({ kind: 'sopDiff', key: 'returns', from: { major: 1, minor: 0 } });
    expect(parse('sop show returns v1')).toMatchObject({
      kind: 'invalid',
      problem: 'Name the version like v1.0, or leave it out for the current one.',
    });
    for (const text of ['sop diff returns', 'sop diff returns v1.0 next', 'sop diff returns v1.0 v1.1 v1.2']) {
      expect(parse(text), text).toMatchObject({
        kind: 'invalid',
        problem: 'Name the standard and the versions to compare, like inventory-scanning v1.0 v1.1.',
      });
    }
  });
});

describe('standards people can read', () => {
  let clock: ManualClock;
  let store: MemoryStore;
  let services: ReturnType<typeof buildServices>;
  let keys = 0;
  const request = (actor: PersonRef) => ({ actor, key: `sop-text-${++keys}` });
  const coe = (actor: PersonRef, text: string) =>
    services.commands.handle(request(actor), parseCoeCommand(text, [], { today: clock.now() }));
  const setLayer = (ref: PersonRef, layer: Layer) =>
    store.transaction(async (r) => r.people.setLayer((await r.people.identify(ref)).id, layer));
  const register = (over: Record<string, unknown> = {}, owner?: PersonRef | { id: number }) =>
    services.sopTexts.submit(
      request(olga),
      {
        key: 'inventory-scanning',
        title: 'Inventory scanning',
        text: V1,
        link: 'https://docs.example.com/scan',
        ...over,
      },
      owner,
    );
  const json = (m: Message) => JSON.stringify(m);
  const moreOf = (m: Message) =>
    m.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).find((a) => a.id === SOP_TEXT_ACTIONS.more)?.value;

  /**
   * v1.1 released from an approved change request proposing `text` (none: it keeps v1.0's), published from what the
   * release form shows.
   */
  async function releaseV11(text: string | null = V2) {
    const cr = await services.changes.submit(request(mona), {
      kind: 'workflow',
      sop: 'inventory-scanning',
      title: 'Charge at every break',
      change: 'Charge the scanners at every break.',
      why: 'They die mid-shift.',
      risk: 'low',
      improvement: 'clarify',
      ...(text === null ? {} : { proposedText: text }),
    });
    if (!cr.ok) throw new Error(JSON.stringify(cr.errors));
    await services.changes.decide(request(olga), 'approve', `CR-${cr.number}`);
    const previewed = (await services.releases.formOptions(olga, 'inventory-scanning')).prefill?.text.fingerprint;
    const published = await services.releases.publish(
      { ...request(olga), ...(previewed ? { previewed } : {}) },
      { changes: [`CR-${cr.number}`] },
    );
    if (!published.ok) throw new Error(JSON.stringify(published.errors));
  }

  beforeEach(async () => {
    clock = new ManualClock('2026-12-07T10:00:00.000Z');
    store = new MemoryStore(clock);
    services = buildServices(store, clock);
    await services.admin.bootstrapCoeMembers([olga, carl]);
    await setLayer(mona, 'manager');
    await store.transaction(async (r) => {
      await r.teams.add('Warehouse');
      const team = await r.teams.byName('Warehouse');
      if (team) await r.teams.addChannel(team.id, 'slack', 'C0WARE');
    });
  });

  it('registers a baseline with its text and link, owned by whom the form says', async () => {
    const monaId = store.personByIdentity('slack', mona.externalId)?.id as number;
    const result = await register({ text: `${V1}\nReport a fault ASAP.\n` }, { id: monaId });
    expect(result.ok).toBe(true);
    const confirmation = result.ok ? result.confirmation : undefined;
    expect(confirmation?.text).toBe(
      'Done: SOP-inventory-scanning v1.0 "Inventory scanning" is registered. It changes only through approved change requests and releases.',
    );
    // The clarity check advises on the new text.
    expect(json(confirmation as Message)).toContain('Clarity check');
    expect(json(confirmation as Message)).toContain('\\"ASAP\\" sets no deadline');
    expect(store.sops).toEqual([
      expect.objectContaining({ key: 'inventory-scanning', ownerPersonId: monaId, baseline: true }),
    ]);
    const text = await store.transaction((r) => r.sopTexts.get('inventory-scanning', { major: 1, minor: 0 }));
    expect(text).toMatchObject({ text: `${V1.trim()}\n\nReport a fault ASAP.`, link: 'https://docs.example.com/scan' });
    expect(store.events.filter((e) => e.action === 'sop.registered')).toHaveLength(1);
  });

  it('keeps the command form: a baseline without text, and the same answer as before', async () => {
    expect((await coe(olga, 'sop new returns Returns')).text).toMatch(
      /^Done: SOP-returns v1\.0 "Returns" is registered/,
    );
    expect(await store.transaction((r) => r.sopTexts.get('returns', { major: 1, minor: 0 }))).toBeUndefined();
    expect(json(await coe(wanda, 'sop show returns v1.0'))).toContain('The bot holds no text for v1.0.');
    await expectCoeError(coe(olga, 'sop new'), 'SETUP.WRONG_PLACE', 'That opens a form: send {{coe sop new}} again.');
  });

  it('says what to fix, and stores nothing, for a bad form, a key in use or an unknown owner', async () => {
    const before = store.snapshot();
    expect(await register({ text: 'x'.repeat(SOP_TEXT_LIMITS.text + 1) })).toMatchObject({
      ok: false,
      errors: { text: expect.stringMatching(/^The text has 40,001 characters/) },
    });
    expect(await register({}, { id: 9999 })).toEqual({
      ok: false,
      errors: { owner: 'Pick the owner from the list. Nothing was registered.' },
    });
    expect(store.snapshot()).toEqual(before);
    await register();
    const again = await register({ text: 'Something else entirely.' });
    expect(again).toEqual({
      ok: false,
      errors: { key: 'SOP-inventory-scanning is registered already: see it with {{coe sop show inventory-scanning}}.' },
    });
    const kept = await store.transaction((r) => r.sopTexts.get('inventory-scanning', { major: 1, minor: 0 }));
    expect(kept?.text).toBe(V1.trim());
  });

  it('refuses the form to anyone but the CoE, before it opens and when it is sent anyway', async () => {
    for (const who of [wanda, mona]) {
      await expectCoeError(
        services.sopTexts.formOptions(who),
        'PERMISSION.DENIED',
        'Only CoE members register standards.',
      );
      const before = store.snapshot();
      await expectCoeError(
        services.sopTexts.submit(request(who), { key: 'returns', title: 'Returns', text: 'Mine now.' }),
        'PERMISSION.DENIED',
      );
      expect(store.snapshot()).toEqual(before);
    }
    expect((await services.sopTexts.formOptions(olga)).owners.map((o) => o.name)).toEqual([
      'Olga Owner',
      'Carl Coe',
      'Mona Manager',
    ]);
  });

  it('shows the current version’s text to anyone, a page at a time, and an earlier one on request', async () => {
    await register({ text: longStandard(20_000) });
    const before = store.snapshot();
    const shown = await coe(wanda, 'sop show inventory-scanning');
    expect(shown.text).toBe('SOP-inventory-scanning v1.0: Inventory scanning');
    expect(shown.blocks.some((b) => b.type === 'document')).toBe(true);
    expect(json(shown)).toContain('Document: [https://docs.example.com/scan](https://docs.example.com/scan)');
    // "Show more" pages through to the end, each page of the same version.
    let value = moreOf(shown);
    const pages: Message[] = [];
    while (value) {
      const page = await services.sopTexts.more(value);
      pages.push(page);
      value = moreOf(page);
    }
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.at(-1)?.text).toMatch(/\(page (\d+) of \1\)$/);
    expect(store.snapshot()).toEqual(before);
  });

  it('shows each version, and the lines one adds and removes against another, both ways', async () => {
    await register();
    await releaseV11();
    const now = await coe(wanda, 'sop show inventory-scanning');
    expect(now.text).toBe('SOP-inventory-scanning v1.1: Inventory scanning');
    expect(json(now)).toContain('at every break');
    expect(json(now)).toContain('{{coe sop diff inventory-scanning v1.0 v1.1}}');
    const old = await coe(wanda, 'sop show inventory-scanning v1.0');
    expect(json(old)).toContain('"text":"Shift lead: charge the scanners."');
    expect(json(old)).not.toContain('at every break');
    expect(json(old)).toContain('An earlier version: the current one is v1.1');

    const diff = await coe(wanda, 'sop diff inventory-scanning v1.0 v1.1');
    expect(diff.text).toBe('SOP-inventory-scanning v1.0 → v1.1: 2 lines added, 1 line removed.');
    const changes = diff.blocks.flatMap((b) => (b.type === 'document' ? b.blocks : []));
    expect(changes).toEqual([
      { kind: 'heading', level: 4, text: 'Line 5 of v1.1' },
      { kind: 'change', op: 'removed', text: '1. Shift lead: charge the scanners.' },
      { kind: 'change', op: 'added', text: '1. Shift lead: charge the scanners at every break.' },
      { kind: 'heading', level: 4, text: 'Line 7 of v1.1' },
      { kind: 'change', op: 'added', text: '3. Picker: scan the shelf label.' },
    ]);
    expect((await coe(wanda, 'sop diff inventory-scanning v1.1 v1.0')).text).toBe(
      'SOP-inventory-scanning v1.1 → v1.0: 1 line added, 2 lines removed.',
    );
    // Against the current version when only one is named.
    expect((await coe(wanda, 'sop diff inventory-scanning v1.0')).text).toBe(diff.text);
  });

  it('points to the text instead of showing it where a long history leaves no room beside it', async () => {
    await register({ text: longStandard(20_000) });
    await store.transaction(async (r) => {
      for (let minor = 1; minor <= 10; minor++) {
        await r.sops.createRelease({
          sopKey: 'inventory-scanning',
          major: 1,
          minor,
          notes: `Release ${minor}: ${'clearer steps and labels, '.repeat(20)}`,
          tags: ['clarify'],
          changes: [],
          teamIds: [],
          publishedByPersonId: null,
          submissionKey: `release-${minor}`,
        });
      }
      await r.sopTexts.add({
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 10,
        text: longStandard(20_000),
        link: null,
        createdByPersonId: null,
      });
    });
    // Ten releases with long notes fit beside a page; fifteen open change requests on top do not.
    expect((await coe(wanda, 'sop show inventory-scanning')).blocks.some((b) => b.type === 'document')).toBe(true);
    for (let i = 1; i <= 15; i++) {
      const cr = await services.changes.submit(request(mona), {
        kind: 'workflow',
        sop: 'inventory-scanning',
        title: `Change ${i}: ${'make the scanning steps clearer for new pickers '.repeat(3)}`.slice(0, 120),
        change: 'Clearer steps.',
        why: 'New pickers get lost.',
        risk: 'low',
        improvement: 'clarify',
      });
      expect(cr.ok).toBe(true);
    }
    const shown = await coe(wanda, 'sop show inventory-scanning');
    expect(shown.blocks.some((b) => b.type === 'document')).toBe(false);
    expect(json(shown)).toContain('Read what v1.10 says with {{coe sop show inventory-scanning v1.10}}.');
    expect(JSON.stringify(shown).length).toBeLessThan(11_000);
    expect((await coe(wanda, 'sop show inventory-scanning v1.10')).blocks.some((b) => b.type === 'document')).toBe(
      true,
    );
  });

  it('answers an unknown standard, version or page kindly, and changes nothing', async () => {
    await register();
    const before = store.snapshot();
    await expectCoeError(
      coe(wanda, 'sop show payroll v1.0'),
      'NOT_FOUND',
      'There is no SOP-payroll. See the registered standards with {{coe sop list}}.',
    );
    await expectCoeError(
      coe(wanda, 'sop show inventory-scanning v2.0'),
      'NOT_FOUND',
      'SOP-inventory-scanning has no v2.0: its versions are v1.0.',
    );
    await expectCoeError(
      coe(wanda, 'sop diff inventory-scanning v1.0 v1.0'),
      'INPUT.INVALID',
      'Name two different versions, like {{coe sop diff inventory-scanning v1.0 v1.1}}.',
    );
    await expectCoeError(coe(wanda, 'sop diff inventory-scanning v1.0 v3.1'), 'NOT_FOUND', /has no v3\.1/);
    await expectCoeError(services.sopTexts.more('show:inventory-scanning:v1.0:9'), 'INPUT.INVALID', /out of date/);
    await expectCoeError(services.sopTexts.more('drop table'), 'INPUT.INVALID', /out of date/);
    expect(store.snapshot()).toEqual(before);
  });

  it('says there is nothing to compare when a version has no text', async () => {
    await register({ text: '', link: '' });
    await releaseV11(null);
    const shown = await coe(wanda, 'sop show inventory-scanning');
    expect(shown.text).toBe('SOP-inventory-scanning v1.1: Inventory scanning');
    expect(shown.blocks.some((b) => b.type === 'document')).toBe(false);
    await expectCoeError(
      coe(wanda, 'sop diff inventory-scanning v1.0 v1.1'),
      'NOT_FOUND',
      'The bot holds no text for v1.0 or v1.1 of SOP-inventory-scanning, so there is nothing to compare line by line.',
    );
  });

  it('refuses a worker every way to change a standard’s text, and nothing changes', async () => {
    await register();
    const before = store.snapshot();
    const attempts: Promise<unknown>[] = [
      ...[
        'sop new inventory-scanning Rewritten',
        'sop new inventory-scanning',
        'sop new',
        'sop retire inventory-scanning',
        'release inventory-scanning',
      ].map((text) => coe(wanda, text)),
      services.sopTexts.submit(request(wanda), { key: 'inventory-scanning', title: 'Mine', text: 'Rewritten.' }),
      services.sopTexts.formOptions(wanda),
      services.releases.publish(request(wanda), { changes: ['CR-1'] }),
    ];
    for (const attempt of attempts)
      await attempt.then(
        () => undefined,
        () => undefined,
      );
    expect(store.snapshot()).toEqual(before);
    await expectCoeError(services.sopTexts.submit(request(wanda), { key: 'x1', title: 'X' }), 'PERMISSION.DENIED');
  });

  it('never changes a version’s text once written: a second write is refused and the first stays', async () => {
    await register();
    const written = await store.transaction((r) =>
      r.sopTexts.add({
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 0,
        text: 'Rewritten outside the loop.',
        link: null,
        createdByPersonId: null,
      }),
    );
    expect(written).toBe(false);
    expect(json(await coe(wanda, 'sop show inventory-scanning v1.0'))).toContain('Shift lead: charge the scanners.');
    // The port has no way to change a text: reading and adding a new version are all there is.
    const repo = await store.transaction(async (r) => Object.keys(r.sopTexts).sort());
    expect(repo).toEqual(['add', 'get']);
  });
});
