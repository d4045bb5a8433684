/**
 * The permission table, part 4 (issue 11): what standards say. Only the CoE registers a baseline with its text (the
 * form `sop new` opens); anyone reads a version's text, page by page, and compares two versions. Rows follow
 * DOMAIN.md's "Layers and what each may do" and README's "who" column.
 */
import { ANYONE, permissionTable, row, type World } from '../support/permission-table.ts';
import { longStandard } from '../support/standard-texts.ts';

const REGISTER = /^Only CoE members register standards\.$/;

/** What v1.0 of SOP-inventory-scanning says, as its baseline would have it; and v1.1 released with its own. */
async function twoVersions(w: World): Promise<void> {
  await w.repos((r) =>
    r.sopTexts.add({
      sopKey: 'inventory-scanning',
      major: 1,
      minor: 0,
      text: '1. Lead: charge the scanners.',
      link: null,
      createdByPersonId: null,
    }),
  );
  await w.publish([await w.approved()]);
  await w.repos((r) =>
    r.sopTexts.add({
      sopKey: 'inventory-scanning',
      major: 1,
      minor: 1,
      text: '1. Lead: charge the scanners at every break.',
      link: null,
      createdByPersonId: null,
    }),
  );
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
    action: '"Show more" under a page of a standard’s text or of a diff',
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
]);
