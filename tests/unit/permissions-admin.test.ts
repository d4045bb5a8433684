/**
 * The permission table as one test, part 2 (part 1, permissions.test.ts, has the loop itself): training, audits,
 * stale-report nudges, standards, executive direction, set-up and teams, and the lookups everyone has. Rows follow
 * DOMAIN.md's "Layers and what each may do", and README's "who" column where DOMAIN.md says nothing.
 */
import { auditId } from '../../src/domain/audit.ts';
import { frictionId } from '../../src/domain/friction.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import { trainingId } from '../../src/domain/training.ts';
import { ANYONE, eve, must, pat, permissionTable, row, type World } from '../support/permission-table.ts';

const ONLY_COE = /^Only CoE members can do that\. Ask a CoE member if you think it is needed\.$/;
const ASSIGN = /^Only CoE members assign training\. Nothing was changed\.$/;
const PLAN = /^Only CoE members plan audits\. Nothing was changed\.$/;
const RECORD = /^Only the owner of AUD-\d+ or a CoE member records its results\.$/;
const SNOOZE = /^Only the CoE \(or the report’s owner\) can snooze this\. Nothing was changed\.$/;

/** A channel nobody uses yet, on the actor's platform. */
const freshChannel = (actor: PersonRef) => (actor.platform === 'slack' ? 'C0FRESH' : '19:fresh@thread.tacv2');
/** Someone the bot has not met, on the actor's platform (mentions come from the platform the command was sent on). */
const newcomer = (actor: PersonRef): PersonRef => ({ platform: actor.platform, externalId: 'newcomer-1' });

const trainingForm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Scanner charging',
  material: 'https://wiki.example.com/scanners',
  sop: 'inventory-scanning',
  teams: ['Warehouse'],
  layers: [],
  due: '2025-03-14',
  ...over,
});

/** Olga assigns a training; its number. */
async function assigned(w: World, over: Record<string, unknown> = {}): Promise<number> {
  const result = await w.services.trainings.assign(w.request(w.admin), trainingForm(over));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return must(w.store.trainings.at(-1), 'training').number;
}

/** Assigned to every layer, so everyone who tries has it. */
const toEveryone = (w: World) => assigned(w, { teams: [], layers: ['worker', 'manager', 'executive', 'coe'] });

/** Assigned to the Yard team, whose only member is Pat. */
async function toPatOnly(w: World): Promise<number> {
  await w.repos(async (repos) => {
    await repos.teams.add('Yard');
    await repos.teams.setMember(must(await repos.teams.byName('Yard'), 'Yard').id, w.idOf(pat), false);
  });
  return assigned(w, { teams: ['Yard'] });
}

const mine = (w: World, actor: PersonRef, training: number) =>
  w.store.assignments.find((a) => a.trainingNumber === training && a.personId === w.idOf(actor));

const planForm = {
  sop: 'inventory-scanning',
  schedule: '0 9 * * 1',
  checklist: 'Scanners on the charger\nCounts match the system',
  variance: '5',
};

const plans = (w: World) => w.repos((repos) => repos.audits.plans());

/** Olga plans an audit (owned by Pat when `owner`); its number. */
async function planned(w: World, owner?: PersonRef): Promise<number> {
  const result = await w.services.audits.plan(w.request(w.admin), planForm, owner && { id: w.idOf(owner) });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return must((await plans(w)).at(-1), 'audit plan').number;
}

/** An audit owned by Pat, with a run due now; the run's id as its button carries it. */
async function dueRun(w: World): Promise<string> {
  await w.services.audits.fire(await planned(w, pat), w.clock.now());
  return String(must(w.store.auditRuns.at(-1), 'audit run').id);
}
const snoozed = (w: World, value: string) => (w.store.nudge(value)?.snoozedUntil ?? null) !== null;

permissionTable('permissions-admin', [
  // Assign training: the CoE. Complete own training: every layer.
  row({
    action: '`/coe training assign` (Teams `training assign`): open the form',
    covers: ['trainingAssign'],
    allowed: ['coe'],
    refusal: ASSIGN,
    call: (w, actor) => w.services.trainings.formOptions(actor),
    shows: /Warehouse/,
  }),
  row({
    action: "the training form submitted → TR-n, announced in the teams' channels",
    covers: ['training form'],
    allowed: ['coe'],
    refusal: ASSIGN,
    call: (w, actor) => w.services.trainings.assign(w.request(actor), trainingForm()),
    done: (w) => w.store.trainings.length === 1,
  }),
  row({
    action: "Mark complete, on one's own training",
    covers: ['training.complete'],
    allowed: ANYONE,
    setup: toEveryone,
    call: (w, actor, tr) => w.services.trainings.complete(w.request(actor), trainingId(tr)),
    done: (w, actor, tr) => (mine(w, actor, tr)?.completedAt ?? null) !== null,
  }),
  row({
    action: "Snooze 1 day, on one's own training",
    covers: ['training.snooze'],
    allowed: ANYONE,
    setup: toEveryone,
    call: (w, actor, tr) => w.services.trainings.snooze(w.request(actor), trainingId(tr)),
    done: (w, actor, tr) => snoozed(w, `${trainingId(tr)}:person:${w.idOf(actor)}`),
  }),
  row({
    action: 'Mark complete, on a training assigned to someone else',
    covers: ['training.complete'],
    self: { is: 'the person it is assigned to', layer: 'worker' },
    allowed: ['self'],
    refusal: /^TR-\d+ is not assigned to you/,
    setup: toPatOnly,
    call: (w, actor, tr) => w.services.trainings.complete(w.request(actor), trainingId(tr)),
    done: (w, _actor, tr) => (mine(w, pat, tr)?.completedAt ?? null) !== null,
  }),
  row({
    action: 'Snooze 1 day, on a training assigned to someone else',
    covers: ['training.snooze'],
    self: { is: 'the person it is assigned to', layer: 'worker' },
    allowed: ['self'],
    refusal: /^TR-\d+ is not assigned to you/,
    setup: toPatOnly,
    call: (w, actor, tr) => w.services.trainings.snooze(w.request(actor), trainingId(tr)),
    done: (w, _actor, tr) => snoozed(w, `${trainingId(tr)}:person:${w.idOf(pat)}`),
  }),
  row({
    action: "`/coe training` (Teams `training`): one's own training",
    covers: ['trainingMine'],
    allowed: ANYONE,
    setup: toEveryone,
    call: (w, actor) => w.coe(actor, 'training'),
    shows: /Scanner charging/,
  }),
  row({
    action: '`/coe training status TR-3`: completion per team and layer, never per person',
    covers: ['trainingStatus'],
    allowed: ANYONE,
    setup: (w) => assigned(w),
    call: (w, actor, tr) => w.coe(actor, `training status ${trainingId(tr)}`),
    shows: /Warehouse/,
  }),
  // Plan audits, record audit results: the CoE (and, README, the plan's owner records its runs).
  row({
    action: '`/coe audit plan` (Teams `audit plan`): open the form',
    covers: ['auditPlan'],
    allowed: ['coe'],
    refusal: PLAN,
    call: (w, actor) => w.services.audits.formOptions(actor),
    shows: /inventory-scanning/,
  }),
  row({
    action: 'the audit plan form submitted → AUD-n',
    covers: ['audit plan form'],
    allowed: ['coe'],
    refusal: PLAN,
    call: (w, actor) => w.services.audits.plan(w.request(actor), planForm),
    done: async (w) => (await plans(w)).length === 1,
  }),
  row({
    action: 'Record results (sent to the owner when a run is due): open the form',
    covers: ['audit.record'],
    self: { is: "the audit's owner", layer: 'manager' },
    allowed: ['coe', 'self'],
    refusal: RECORD,
    setup: dueRun,
    call: (w, actor, run) => w.services.audits.resultsForm(actor, run),
    shows: /Scanners on the charger/,
  }),
  row({
    action: 'the audit results form submitted',
    covers: ['audit results form'],
    self: { is: "the audit's owner", layer: 'manager' },
    allowed: ['coe', 'self'],
    refusal: RECORD,
    setup: dueRun,
    call: (w, actor, run) =>
      w.services.audits.record(w.request(actor), run, {
        'item0.passed': 'pass',
        'item0.variance': '1',
        'item1.passed': 'pass',
        'item1.variance': '2',
      }),
    done: (w) => w.store.auditRuns.some((r) => r.recordedAt !== null),
  }),
  row({
    action: '`/coe audit list` (Teams `audit list`)',
    covers: ['auditList'],
    // Audits are about processes, not people: which are planned is open to everyone (README).
    allowed: ANYONE,
    setup: dueRun,
    call: (w, actor) => w.coe(actor, 'audit list'),
    shows: /AUD-\d+/,
  }),
  row({
    action: '`/coe audit run AUD-2` (Teams `audit run AUD-2`): a run now',
    covers: ['auditRun'],
    allowed: ['coe'],
    refusal: PLAN,
    setup: (w) => planned(w),
    call: (w, actor, plan) => w.coe(actor, `audit run ${auditId(plan)}`),
    done: (w) => w.store.auditRuns.length === 1,
  }),
  // Stale-report nudges (README "snoozable"): the CoE for an untriaged report, its owner or the CoE for a stalled one.
  row({
    action: 'Snooze a week, on an untriaged report raised in the review channel',
    covers: ['nudge.snooze'],
    allowed: ['coe'],
    refusal: SNOOZE,
    setup: async (w) => `${frictionId(await w.report())}:untriaged`,
    call: (w, actor, value) => w.services.nudges.snooze({ actor }, value),
    done: (w, _actor, value) => snoozed(w, value),
  }),
  row({
    action: "Snooze a week, on a stalled report's nudge to its owner",
    covers: ['nudge.snooze'],
    self: { is: "the report's owner, who triaged it and has left the CoE since", layer: 'manager' },
    allowed: ['coe', 'self'],
    refusal: SNOOZE,
    setup: async (w) => {
      const fr = await w.report();
      await w.setLayer(pat, 'coe');
      await w.services.friction.decide(w.request(pat), 'triage', fr);
      await w.setLayer(pat, 'manager');
      return `${frictionId(fr)}:stalled`;
    },
    call: (w, actor, value) => w.services.nudges.snooze({ actor }, value),
    done: (w, _actor, value) => snoozed(w, value),
  }),
  // Standards: the CoE registers one in use (its v1.0); anyone reads them.
  row({
    action: '`/coe sop new <key> <title>` (Teams `sop new …`)',
    covers: ['sopNew'],
    allowed: ['coe'],
    refusal: /^Only CoE members register standards\.$/,
    call: (w, actor) => w.coe(actor, 'sop new cold-storage Cold storage'),
    done: (w) => w.store.sops.some((s) => s.key === 'cold-storage'),
  }),
  row({
    action: '`/coe sop show <key>` (Teams `sop show …`)',
    covers: ['sopShow'],
    allowed: ANYONE,
    call: (w, actor) => w.coe(actor, 'sop show inventory-scanning'),
    shows: /Inventory scanning/,
  }),
  row({
    action: '`/coe sop list` (Teams `sop list`)',
    covers: ['sopList'],
    allowed: ANYONE,
    call: (w, actor) => w.coe(actor, 'sop list'),
    shows: /inventory-scanning/,
  }),
  // Set priorities, constraints, outcome targets: executives only — not even the CoE (seed §5).
  row({
    action: '`/coe constraint add priority|constraint|target <text>` (Teams `constraint add …`)',
    covers: ['constraintAdd'],
    allowed: ['executive'],
    refusal: /^Only executives set priorities, constraints and outcome targets; the CoE designs how to meet them\.$/,
    call: (w, actor) => w.coe(actor, 'constraint add priority Quality first'),
    done: async (w) => (await w.repos((repos) => repos.constraints.list())).length === 1,
  }),
  row({
    action: '`/coe constraint list` (Teams `constraint list`)',
    covers: ['constraintList'],
    allowed: ANYONE,
    setup: async (w) => {
      await w.services.standards.addConstraint(w.request(eve), {
        kind: 'priority',
        text: 'Quality first',
      });
    },
    call: (w, actor) => w.coe(actor, 'constraint list'),
    shows: /Quality first/,
  }),
  // Set-up, roles and teams: the CoE ("grant roles: CoE admins"); the team list: anyone.
  row({
    action: '`/coe setup review-channel`, in the channel (Teams `setup review-channel`)',
    covers: ['setupReviewChannel'],
    allowed: ['coe'],
    refusal: ONLY_COE,
    call: (w, actor) => w.coe(actor, 'setup review-channel', { channelId: freshChannel(actor) }),
    done: (w, actor) => w.store.reviewChannel(actor.platform) === freshChannel(actor),
  }),
  row({
    action: '`/coe role @person manager` (Teams `role @person manager`)',
    covers: ['grantRole'],
    allowed: ['coe'],
    refusal: ONLY_COE,
    call: (w, actor) => w.coe(actor, 'role @mention manager', { mentions: [newcomer(actor)] }),
    done: (w, actor) => w.store.personByIdentity(actor.platform, newcomer(actor).externalId)?.layer === 'manager',
  }),
  row({
    action: '`/coe team add <name>` (Teams `team add …`)',
    covers: ['teamAdd'],
    allowed: ['coe'],
    refusal: ONLY_COE,
    call: (w, actor) => w.coe(actor, 'team add Yard'),
    done: (w) => w.store.teams.includes('Yard'),
  }),
  row({
    action: '`/coe team channel <name>`, in the channel (Teams `team channel …`)',
    covers: ['teamChannel'],
    allowed: ['coe'],
    refusal: ONLY_COE,
    call: (w, actor) => w.coe(actor, 'team channel Night Shift', { channelId: freshChannel(actor) }),
    done: async (w, actor) =>
      (await w.repos((repos) => repos.teams.channels())).some((c) => c.channelId === freshChannel(actor)),
  }),
  row({
    action: '`/coe team member @person <name> [manager]` (Teams `team member …`)',
    covers: ['teamMember'],
    allowed: ['coe'],
    refusal: ONLY_COE,
    call: (w, actor) => w.coe(actor, 'team member @mention Night Shift manager', { mentions: [newcomer(actor)] }),
    done: async (w, actor) => {
      const person = w.store.personByIdentity(actor.platform, newcomer(actor).externalId);
      const night = await w.teamId('Night Shift');
      return person !== undefined && (await w.repos((repos) => repos.teams.manages(person.id, night)));
    },
  }),
  row({
    action: '`/coe team list` (Teams `team list`)',
    covers: ['teamList'],
    allowed: ANYONE,
    call: (w, actor) => w.coe(actor, 'team list'),
    shows: /Night Shift/,
  }),
  row({
    action: '`/coe jobs` (Teams `jobs`): every scheduled job',
    covers: ['jobs'],
    allowed: ['coe'],
    refusal: /^Only CoE members see the scheduled jobs\.$/,
    call: (w, actor) => w.coe(actor, 'jobs'),
    shows: /Scheduled jobs/,
  }),
  row({
    action: "`/coe metrics` (Teams `metrics`): the scorecard; the organisation, or a manager's own team",
    covers: ['metrics'],
    allowed: ['manager', 'otherManager', 'executive', 'coe'],
    refusal: /^Metrics are for managers, executives and the CoE, and only ever about teams\./,
    call: (w, actor) => w.coe(actor, 'metrics'),
    shows: /CoE scorecard/,
  }),
  row({
    action: "`/coe metrics 30d Warehouse` (Teams `metrics 30d Warehouse`): one team's scorecard",
    covers: ['metrics'],
    allowed: ['manager', 'executive', 'coe'],
    refusal: /^Metrics are for managers, executives and the CoE/,
    refusals: {
      otherManager: /^Managers see the metrics of the teams they manage, and Warehouse is not one of yours\.$/,
    },
    call: (w, actor) => w.coe(actor, 'metrics 30d Warehouse'),
    shows: /CoE scorecard · Warehouse · the last 30 days/,
  }),
  row({
    action: '`/coe help` (Teams `help`)',
    covers: ['help'],
    allowed: ANYONE,
    call: (w, actor) => w.coe(actor, 'help'),
    shows: /Report friction/,
  }),
  row({
    action: 'More commands, under the help (Slack; Teams opens the rest inside the card): everything the person may do',
    covers: ['help.more'],
    allowed: ANYONE,
    call: (w, actor) => w.coe(actor, 'help all'),
    shows: /Everything you can do as .*Report friction/,
  }),
  row({
    action: 'an unknown or incomplete command: help, or its usage',
    covers: ['unknown', 'invalid'],
    allowed: ANYONE,
    call: async (w, actor) => [await w.coe(actor, 'frobnicate'), await w.coe(actor, 'withdraw')],
    shows: /I don't know \\"frobnicate\\" yet.*Usage: .*withdraw CR-7/,
  }),
]);
