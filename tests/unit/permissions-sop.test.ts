/**
 * The permission table, part 4 (issue 11): what standards say. Only the CoE registers a baseline with its text (the
 * form `sop new` opens); anyone reads a version's text, page by page, and compares two versions. A change request may
 * propose a text (those who raise change requests; a revision, its requester), which changes no version's text: only
 * the CoE's release of approved changes writes the next version's (seed §8). Rows follow DOMAIN.md's "Layers and
 * what each may do" and README's "who" column.
 */
import { changeId } from '../../src/domain/change.ts';
import {
  ANYONE,
  changeForm,
  FRICTION_INSTEAD,
  must,
  pat,
  permissionTable,
  row,
  type World,
} from '../support/permission-table.ts';
import { longStandard } from '../support/standard-texts.ts';

const REGISTER = /^Only CoE members register standards\.$/;
const PUBLISH = /^Only CoE members publish releases\. Nothing was changed\.$/;
const RAISERS = ['manager', 'otherManager', 'executive', 'coe'] as const;
const V1 = '1. Lead: charge the scanners.';
const PROPOSED = '1. Lead: charge the scanners at every break.';

/** v1.0 of SOP-inventory-scanning with its text, as its baseline would have it. */
const baseline = (w: World) =>
  w.repos((r) =>
    r.sopTexts.add({ sopKey: 'inventory-scanning', major: 1, minor: 0, text: V1, link: null, createdByPersonId: null }),
  );
/** What a version says now (undefined: no text). */
const versionText = (w: World, minor: number) =>
  w.repos(async (r) => (await r.sopTexts.get('inventory-scanning', { major: 1, minor }))?.text);
/** The proposal is stored, and v1.0 still says what it said: a proposal never changes a version's text. */
const proposed = async (w: World, number: number, text: string) =>
  (await w.repos((r) => r.changeTexts.get(number)))?.text === text && (await versionText(w, 0)) === V1;

/** What v1.0 of SOP-inventory-scanning says, as its baseline would have it; and v1.1 released with its own. */
async function twoVersions(w: World): Promise<void> {
  await baseline(w);
  const cr = await w.approved({ proposedText: PROPOSED });
  const options = await w.services.releases.formOptions(w.admin, 'inventory-scanning');
  const previewed = must(options.prefill?.text, 'the text the form shows').fingerprint;
  const published = await w.services.releases.publish({ ...w.request(w.admin), previewed }, { changes: [`CR-${cr}`] });
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
}

permissionTable('permissions-sop', [
  row({
    action: '`/coe sop new` opens the baseline form (Teams `sop new`: its opener card)',
    covers: ['sopForm'],
    allowed: ['coe'],
    refusal: REGISTER,
    call: (w, actor) => w.services.sopTexts.formOptions(actor),
    shows: /owners/,
  }),
  row({
    action: 'the baseline form: key, title, owner, text of v1.0, link (Slack modal, Teams dialog)',
    covers: ['sop form'],
    allowed: ['coe'],
    refusal: REGISTER,
    call: (w, actor) =>
      w.services.sopTexts.submit(w.request(actor), {
        key: 'cold-storage',
        title: 'Cold storage',
        text: '1. Lead: check the freezer at 06:00.',
        link: 'https://docs.example.com/cold-storage',
      }),
    done: async (w) => (await w.repos((r) => r.sopTexts.get('cold-storage', { major: 1, minor: 0 }))) !== undefined,
  }),
  row({
    action: '`/coe sop diff <key> vA vB` (Teams `sop diff …`)',
    covers: ['sopDiff'],
    allowed: ANYONE,
    setup: twoVersions,
    call: (w, actor) => w.coe(actor, 'sop diff inventory-scanning v1.0 v1.1'),
    shows: /1 line added, 1 line removed/,
  }),
  row({
    action: '"Show more" under a page of a standard’s text or of a diff; "Read it" on a release announcement',
    covers: ['sop.more'],
    allowed: ANYONE,
    setup: (w) =>
      w.repos((r) =>
        r.sopTexts.add({
          sopKey: 'inventory-scanning',
          major: 1,
          minor: 0,
          text: longStandard(12_000),
          link: null,
          createdByPersonId: null,
        }),
      ),
    call: (w) => w.services.sopTexts.more('show:inventory-scanning:v1.0:2'),
    shows: /page 2 of/,
  }),
  row({
    action:
      '`/coe sop find <words>` (Teams `sop find …`, and the message box’s Find a standard): current versions only',
    covers: ['sopFind'],
    allowed: ANYONE,
    setup: baseline,
    call: (w, actor) => w.coe(actor, 'sop find scanners', { channelId: 'C0GENERAL' }),
    shows: /SOP-inventory-scanning v1\.0/,
  }),
  row({
    action: '"Share in channel" under a match of `sop find` (Slack): the current version’s card, posted once',
    covers: ['sop.share'],
    allowed: ANYONE,
    setup: baseline,
    call: (w, actor) =>
      w.services.sopSearch.share({ ...w.request(actor), channelId: 'C0GENERAL' }, 'inventory-scanning'),
    done: (w) => w.store.outbox.some((row) => row.key.startsWith('sop-share:')),
  }),
  row({
    action: 'the change-request form with a proposed text of the standard (Slack modal, Teams dialog)',
    covers: ['change form with a proposed text'],
    allowed: RAISERS,
    refusal: FRICTION_INSTEAD,
    setup: baseline,
    call: (w, actor) => w.services.changes.submit(w.request(actor), changeForm({ proposedText: PROPOSED })),
    done: (w) => proposed(w, 1, PROPOSED),
  }),
  row({
    action: 'the revised change-request form editing its proposed text ("Revise and resubmit")',
    covers: ['revised change form with a proposed text'],
    self: { is: 'its requester', layer: 'manager' },
    allowed: ['self'],
    refusal: /^Only the person who raised CR-\d+ can revise it\.$/,
    refusals: { worker: FRICTION_INSTEAD },
    setup: async (w) => {
      await baseline(w);
      const number = await w.raise(pat, { proposedText: PROPOSED });
      await w.services.changes.decide(w.request(w.admin), 'requestChanges', changeId(number), 'Say which breaks.');
      return number;
    },
    call: (w, actor, cr) =>
      w.services.changes.submit(
        w.request(actor),
        changeForm({ proposedText: `${PROPOSED}\n2. Lead: log it.` }),
        changeId(cr),
      ),
    done: (w, _actor, cr) => proposed(w, cr, `${PROPOSED}\n2. Lead: log it.`),
  }),
  row({
    action: 'the release form writing the next version’s text from the approved changes (seed §8: the only way)',
    covers: ['release form writing the next text'],
    allowed: ['coe'],
    refusal: PUBLISH,
    setup: async (w) => {
      await baseline(w);
      const cr = await w.approved({ proposedText: PROPOSED });
      const options = await w.services.releases.formOptions(w.admin, 'inventory-scanning');
      return { cr, previewed: must(options.prefill?.text, 'the text the form shows').fingerprint };
    },
    call: (w, actor, { cr, previewed }) =>
      w.services.releases.publish({ ...w.request(actor), previewed }, { changes: [changeId(cr)] }),
    done: async (w) => (await versionText(w, 1)) === PROPOSED && (await versionText(w, 0)) === V1,
  }),
]);
