/**
 * The permission table as one test, part 1: the improvement loop (DOMAIN.md, "Layers and what each may do") —
 * friction, change requests, releases, AI usage rules. Each row is an action as people meet it in Slack and Teams
 * (both land on the same service call), tried by every layer on a fresh organisation: allowed and done, or refused
 * with a CoeError in words and nothing changed. Part 2, permissions-admin.test.ts: training, audits, nudges,
 * standards, direction and set-up. The cast and the runner: tests/support/permission-table.ts.
 */
import { changeId } from '../../src/domain/change.ts';
import { frictionId } from '../../src/domain/friction.ts';
import { plusOneValue } from '../../src/domain/friction-messages.ts';
import { deployedValue } from '../../src/domain/release-messages.ts';
import {
  ANYONE,
  changeForm,
  FRICTION_INSTEAD,
  frictionForm,
  must,
  pat,
  permissionTable,
  row,
  type World,
} from '../support/permission-table.ts';

/** Managers, executives and the CoE raise change requests; workers report friction instead (seed §4, §8). */
const RAISERS = ['manager', 'otherManager', 'executive', 'coe'] as const;
const DECIDE_FRICTION = /^Only CoE members can triage, merge, decline or record root causes\. Nothing was changed\.$/;
const DECIDE_CHANGE = /^Only CoE members approve, send back or reject change requests\. Nothing was changed\.$/;
const OWN_CHANGE = /^You raised CR-\d+, so another CoE member decides it\. Nothing was changed\.$/;
const PUBLISH = /^Only CoE members publish releases\. Nothing was changed\.$/;

/** Pat's change request, sent back to Pat for changes by Olga. */
async function sentBack(w: World): Promise<number> {
  const number = await w.raise(pat);
  await w.services.changes.decide(w.request(w.admin), 'requestChanges', changeId(number), 'Say which breaks.');
  return number;
}

const aiChange = {
  kind: 'ai_rule',
  sop: undefined,
  title: 'Allow ChatGPT for managers',
  aiTool: 'ChatGPT',
  aiStatus: 'restricted',
  aiDataClasses: 'public, internal',
  aiForbiddenInputs: 'Customer personal data',
  aiHumanReview: true,
  aiLayers: ['manager', 'coe'],
};

permissionTable('permissions', [
  // Report friction, "+1 / me too", see own reports: every layer.
  row({
    action: 'Slack /friction or the Report friction shortcut, Teams `friction` or its message action: open the form',
    covers: ['/friction'],
    allowed: ANYONE,
    call: (w, actor) => w.services.friction.formDefaults(actor),
    shows: /Night Shift/,
  }),
  row({
    action: 'the friction form submitted → FR-n',
    covers: ['friction form'],
    allowed: ANYONE,
    call: (w, actor) =>
      w.services.friction.submit(w.request(actor), frictionForm({ title: 'Labels peel off in the cold' })),
    done: (w) => w.store.reports.length === 1,
  }),
  row({
    action: '"+1 this one instead" on the confirmation of one\'s own report (a similar one was open)',
    covers: ['friction.plus_one_instead'],
    allowed: ANYONE,
    setup: async (w) => {
      const similar = await w.report(w.admin);
      const own = new Map<string, number>();
      for (const person of w.cast) own.set(person.externalId, await w.report(person));
      return { similar, own };
    },
    call: (w, actor, { similar, own }) => {
      const mine = must(w.store.report(must(own.get(actor.externalId), 'own report')), 'report');
      return w.services.friction.plusOneInstead(w.request(actor), plusOneValue(mine.number, similar, mine.claimToken));
    },
    done: (w, actor, { own }) => w.store.report(must(own.get(actor.externalId), 'own report'))?.status === 'duplicate',
  }),
  // Triage, assign, merge duplicates, decline, record root cause: the CoE only.
  row({
    action: "Triage on a report's review message",
    covers: ['friction.triage'],
    allowed: ['coe'],
    refusal: DECIDE_FRICTION,
    setup: (w) => w.report(),
    call: (w, actor, fr) => w.services.friction.decide(w.request(actor), 'triage', fr),
    done: (w, _actor, fr) => w.store.report(fr)?.status === 'triaged',
  }),
  row({
    action: 'Record root cause, Mark duplicate of…, Decline on a review message: open their form',
    covers: ['friction.root_cause', 'friction.duplicate', 'friction.decline'],
    allowed: ['coe'],
    refusal: DECIDE_FRICTION,
    call: (w, actor) => w.services.friction.ensureMayDecide(actor),
  }),
  row({
    action: 'the root cause form submitted',
    covers: ['root cause form'],
    allowed: ['coe'],
    refusal: DECIDE_FRICTION,
    setup: async (w) => {
      const fr = await w.report();
      await w.services.friction.decide(w.request(w.admin), 'triage', fr);
      return fr;
    },
    call: (w, actor, fr) =>
      w.services.friction.decide(w.request(actor), 'rootCause', fr, { rootCause: 'The batteries are worn out.' }),
    done: (w, _actor, fr) => w.store.report(fr)?.status === 'analysing',
  }),
  row({
    action: 'the Mark duplicate of… form submitted',
    covers: ['duplicate form'],
    allowed: ['coe'],
    refusal: DECIDE_FRICTION,
    setup: async (w) => ({ first: await w.report(), second: await w.report(pat) }),
    call: (w, actor, { first, second }) =>
      w.services.friction.decide(w.request(actor), 'duplicate', second, { duplicateOf: frictionId(first) }),
    done: (w, _actor, { second }) => w.store.report(second)?.status === 'duplicate',
  }),
  row({
    action: 'the Decline form submitted',
    covers: ['decline form'],
    allowed: ['coe'],
    refusal: DECIDE_FRICTION,
    setup: (w) => w.report(),
    call: (w, actor, fr) =>
      w.services.friction.decide(w.request(actor), 'decline', fr, { lane: 'other', reason: 'Not a process.' }),
    done: (w, _actor, fr) => w.store.report(fr)?.status === 'declined',
  }),
  row({
    action: '`/coe status FR-12` (Teams `status FR-12`)',
    covers: ['status'],
    allowed: ANYONE,
    setup: (w) => w.report(),
    call: (w, actor, fr) => w.coe(actor, `status ${frictionId(fr)}`),
    shows: /Scanner dies after 30 minutes/,
  }),
  row({
    action: '`/coe my reports` (Teams `my reports`)',
    covers: ['myReports'],
    allowed: ANYONE,
    setup: (w) => w.report(),
    call: (w, actor) => w.coe(actor, 'my reports'),
    shows: /My reports/,
  }),
  row({
    action: 'the Slack App Home',
    covers: ['App Home'],
    allowed: ANYONE,
    setup: (w) => w.report(),
    call: (w, actor) => w.services.commands.overview(actor),
    shows: /My reports/,
  }),
  row({
    action: '`/coe queue` (Teams `queue`): the triage queue',
    covers: ['triageQueue'],
    allowed: ['coe'],
    refusal: /^Only CoE members see the triage queue\.$/,
    setup: (w) => w.report(),
    call: (w, actor) => w.coe(actor, 'queue'),
    shows: /Triage queue/,
  }),
  // Raise a change request: managers, executives, the CoE; workers are pointed to /friction.
  row({
    action: 'Slack /change-request, Teams `change request`: open the form',
    covers: ['/change-request'],
    allowed: RAISERS,
    refusal: FRICTION_INSTEAD,
    call: (w, actor) => w.services.changes.formOptions(actor),
    shows: /inventory-scanning/,
  }),
  row({
    action: 'the change-request form submitted → CR-n',
    covers: ['change form'],
    allowed: RAISERS,
    refusal: FRICTION_INSTEAD,
    call: (w, actor) => w.services.changes.submit(w.request(actor), changeForm()),
    done: (w) => w.store.changes.length === 1,
  }),
  // Approve / reject / request changes: the CoE, never on a request they raised.
  row({
    action: "Approve on a change request's review message",
    covers: ['change.approve'],
    self: { is: 'its requester', layer: 'coe' },
    allowed: ['coe'],
    refusal: DECIDE_CHANGE,
    refusals: { self: OWN_CHANGE },
    setup: (w) => w.raise(pat),
    call: (w, actor, cr) => w.services.changes.decide(w.request(actor), 'approve', changeId(cr)),
    done: (w, _actor, cr) => w.store.change(cr)?.status === 'approved',
  }),
  row({
    action: "Request changes, Reject on a change request's review message: open the reason form",
    covers: ['change.request_changes', 'change.reject'],
    self: { is: 'its requester', layer: 'coe' },
    allowed: ['coe'],
    refusal: DECIDE_CHANGE,
    refusals: { self: OWN_CHANGE },
    setup: (w) => w.raise(pat),
    call: (w, actor, cr) => w.services.changes.ensureMayDecide(actor, changeId(cr)),
  }),
  row({
    action: 'the Request changes form submitted',
    covers: ['request changes form'],
    self: { is: 'its requester', layer: 'coe' },
    allowed: ['coe'],
    refusal: DECIDE_CHANGE,
    refusals: { self: OWN_CHANGE },
    setup: (w) => w.raise(pat),
    call: (w, actor, cr) =>
      w.services.changes.decide(w.request(actor), 'requestChanges', changeId(cr), 'Say which breaks.'),
    done: (w, _actor, cr) => w.store.change(cr)?.status === 'changes_requested',
  }),
  row({
    action: 'the Reject form submitted',
    covers: ['reject form'],
    self: { is: 'its requester', layer: 'coe' },
    allowed: ['coe'],
    refusal: DECIDE_CHANGE,
    refusals: { self: OWN_CHANGE },
    setup: (w) => w.raise(pat),
    call: (w, actor, cr) => w.services.changes.decide(w.request(actor), 'reject', changeId(cr), 'Out of scope.'),
    done: (w, _actor, cr) => w.store.change(cr)?.status === 'rejected',
  }),
  // What only the requester does with their own request.
  row({
    action: "Revise and resubmit (in the requester's message): open the form",
    covers: ['change.revise'],
    self: { is: 'its requester', layer: 'manager' },
    allowed: ['self'],
    refusal: /^Only the person who raised CR-\d+ can revise it\.$/,
    refusals: { worker: FRICTION_INSTEAD },
    setup: sentBack,
    call: (w, actor, cr) => w.services.changes.formOptions(actor, changeId(cr)),
    shows: /Charge scanners at every break/,
  }),
  row({
    action: 'the revised change-request form submitted',
    covers: ['revised change form'],
    self: { is: 'its requester', layer: 'manager' },
    allowed: ['self'],
    refusal: /^Only the person who raised CR-\d+ can revise it\.$/,
    refusals: { worker: FRICTION_INSTEAD },
    setup: sentBack,
    call: (w, actor, cr) =>
      w.services.changes.submit(w.request(actor), changeForm({ title: 'Charge at the morning break' }), changeId(cr)),
    done: (w, _actor, cr) => w.store.change(cr)?.status === 'submitted',
  }),
  row({
    action: '`/coe withdraw CR-7` (Teams `withdraw CR-7`)',
    covers: ['withdraw'],
    self: { is: 'its requester', layer: 'coe' },
    allowed: ['self'],
    refusal: /^Only the person who raised CR-\d+ can withdraw it\.$/,
    setup: (w) => w.raise(pat),
    call: (w, actor, cr) => w.coe(actor, `withdraw ${changeId(cr)}`),
    done: (w, _actor, cr) => w.store.change(cr)?.status === 'withdrawn',
  }),
  row({
    action: '`/coe status CR-7` (Teams `status CR-7`)',
    covers: ['status'],
    self: { is: 'its requester', layer: 'manager' },
    allowed: ANYONE,
    setup: (w) => w.raise(pat),
    call: (w, actor, cr) => w.coe(actor, `status ${changeId(cr)}`),
    shows: /Charge scanners at every break/,
  }),
  // Publish an SOP release (only from approved change requests): the CoE; never executives (seed §5).
  row({
    action: '`/coe release` (Teams `release`): open the form',
    covers: ['release'],
    allowed: ['coe'],
    refusal: PUBLISH,
    setup: (w) => w.approved(),
    call: (w, actor) => w.services.releases.formOptions(actor),
    shows: /Charge scanners at every break/,
  }),
  row({
    action: 'the release form submitted → SOP-key vX.Y, announced to the teams',
    covers: ['release form'],
    allowed: ['coe'],
    refusal: PUBLISH,
    setup: (w) => w.approved(),
    call: (w, actor, cr) => w.services.releases.publish(w.request(actor), { changes: [changeId(cr)] }),
    done: (w) => w.store.releases.length === 1,
  }),
  // Edit AI usage rules: only through an approved change request, i.e. a release of the AI usage rules standard.
  row({
    action: 'the release form of the AI usage rules standard (how AI usage rules change)',
    covers: ['release form'],
    allowed: ['coe'],
    refusal: PUBLISH,
    setup: (w) => w.approved(aiChange),
    call: (w, actor, cr) => w.services.releases.publish(w.request(actor), { changes: [changeId(cr)] }),
    done: (w) => w.store.aiRules.length === 1,
  }),
  // Acknowledge "deployed" for a team: that team's managers, and the CoE.
  row({
    action: "Deployed in my team, on Warehouse's announcement",
    covers: ['release.deployed'],
    allowed: ['manager', 'coe'],
    refusal: /^Only Warehouse's managers \(or the CoE\) can say SOP-inventory-scanning v1\.1 is deployed there\./,
    setup: async (w) => deployedValue(await w.publish([await w.approved()]), await w.teamId('Warehouse')),
    call: (w, actor, value) => w.services.releases.acknowledge(w.request(actor), value),
    done: (w) => w.store.acks.length === 1,
  }),
  // Look up an AI usage rule: every layer.
  row({
    action: '`/coe ai <tool>` (Teams `ai <tool>`)',
    covers: ['ai'],
    allowed: ANYONE,
    setup: async (w) => w.publish([await w.approved(aiChange)]),
    call: (w, actor) => w.coe(actor, 'ai chatgpt'),
    shows: /ChatGPT/,
  }),
]);
