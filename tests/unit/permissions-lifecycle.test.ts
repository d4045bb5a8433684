/**
 * The permission table as one test, part 3 (issue 12): the ends of lifecycles — pausing, resuming, changing and
 * stopping an audit plan, cancelling a training or moving its due date, retiring a standard, renaming or archiving a
 * team or taking someone out of it, ending an executive constraint. DOMAIN.md gives planning audits, assigning
 * training, the registry and teams to the CoE alone, so each of these is the CoE's, and an audit's owner or a
 * training's assignee may not do it either; direction is the executives' alone, so ending a constraint is theirs and
 * nobody else's, the CoE included. The cast and the runner: tests/support/permission-table.ts.
 */
import { auditId } from '../../src/domain/audit.ts';
import { trainingId } from '../../src/domain/training.ts';
import { wanda } from '../support/cast.ts';
import { eve, must, type PermissionRow, pat, permissionTable, row, type World } from '../support/permission-table.ts';

const AUDITS = /^Only CoE members pause, resume, change or stop audits\. Nothing was changed\.$/;
const TRAININGS = /^Only CoE members cancel a training or move its due date\. Nothing was changed\.$/;
const STANDARDS = /^Only CoE members retire standards\. Nothing was changed\.$/;
const TEAMS = /^Only CoE members rename or archive teams or change who is in them\. Nothing was changed\.$/;
const DIRECTION = /^Only executives end priorities, constraints and outcome targets\. Nothing was changed\.$/;

const planForm = {
  sop: 'inventory-scanning',
  schedule: '0 9 * * 1',
  checklist: 'Scanners on the charger\nCounts match the system',
  variance: '5',
};

/** Olga plans AUD-n, owned by Pat; its number. */
async function patsAudit(w: World): Promise<number> {
  const result = await w.services.audits.plan(w.request(w.admin), planForm, { id: w.idOf(pat) });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return must((await w.repos((repos) => repos.audits.allPlans())).at(-1), 'audit plan').number;
}

const stateOf = async (w: World, number: number) => (await w.repos((repos) => repos.audits.plan(number)))?.state;

/** Olga assigns TR-n to Warehouse (Wanda, Pat and Mona), due Friday; its number. */
async function warehouseTraining(w: World): Promise<number> {
  const result = await w.services.trainings.assign(w.request(w.admin), {
    title: 'Scanner charging',
    material: 'https://wiki.example.com/scanners',
    teams: ['Warehouse'],
    layers: [],
    due: '2025-03-07',
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return must(w.store.trainings.at(-1), 'training').number;
}

const OWNER = { is: "the audit's owner", layer: 'manager' } as const;
const ASSIGNEE = { is: 'a person it is assigned to', layer: 'worker' } as const;

const rows: PermissionRow[] = [
  row({
    action: '`/coe audit pause AUD-2` (Teams `audit pause AUD-2`)',
    covers: ['auditPause'],
    self: OWNER,
    allowed: ['coe'],
    refusal: AUDITS,
    setup: patsAudit,
    call: (w, actor, plan) => w.coe(actor, `audit pause ${auditId(plan)}`),
    done: async (w, _actor, plan) => (await stateOf(w, plan)) === 'paused',
  }),
  row({
    action: '`/coe audit resume AUD-2` (Teams `audit resume AUD-2`), on a paused plan',
    covers: ['auditResume'],
    self: OWNER,
    allowed: ['coe'],
    refusal: AUDITS,
    setup: async (w) => {
      const plan = await patsAudit(w);
      await w.coe(w.admin, `audit pause ${auditId(plan)}`);
      return plan;
    },
    call: (w, actor, plan) => w.coe(actor, `audit resume ${auditId(plan)}`),
    done: async (w, _actor, plan) => (await stateOf(w, plan)) === 'active',
  }),
  row({
    action: '`/coe audit stop AUD-2` (Teams `audit stop AUD-2`)',
    covers: ['auditStop'],
    self: OWNER,
    allowed: ['coe'],
    refusal: AUDITS,
    setup: patsAudit,
    call: (w, actor, plan) => w.coe(actor, `audit stop ${auditId(plan)}`),
    done: async (w, _actor, plan) => (await stateOf(w, plan)) === 'stopped',
  }),
  row({
    action: '`/coe audit change AUD-2` (Teams `audit change AUD-2`): open the plan’s form, filled',
    covers: ['auditChange'],
    self: OWNER,
    allowed: ['coe'],
    refusal: AUDITS,
    setup: patsAudit,
    call: (w, actor, plan) => w.services.auditLifecycle.changeForm(actor, auditId(plan)),
    shows: /Scanners on the charger\\nCounts match the system/,
  }),
  row({
    action: 'the audit change form submitted',
    covers: ['audit change form'],
    self: OWNER,
    allowed: ['coe'],
    refusal: AUDITS,
    setup: patsAudit,
    call: (w, actor, plan) =>
      w.services.auditLifecycle.change(w.request(actor), auditId(plan), { ...planForm, schedule: '0 8 * * 2' }),
    done: async (w, _actor, plan) => (await w.repos((repos) => repos.audits.plan(plan)))?.schedule === '0 8 * * 2',
  }),
  row({
    action: '`/coe training cancel TR-3` (Teams `training cancel TR-3`)',
    covers: ['trainingCancel'],
    self: ASSIGNEE,
    allowed: ['coe'],
    refusal: TRAININGS,
    setup: warehouseTraining,
    call: (w, actor, tr) => w.coe(actor, `training cancel ${trainingId(tr)}`),
    done: (w, _actor, tr) => (w.store.trainings.find((t) => t.number === tr)?.cancelledAt ?? null) !== null,
  }),
  row({
    action: '`/coe training due TR-3 YYYY-MM-DD` (Teams `training due TR-3 …`)',
    covers: ['trainingDue'],
    self: ASSIGNEE,
    allowed: ['coe'],
    refusal: TRAININGS,
    setup: warehouseTraining,
    call: (w, actor, tr) => w.coe(actor, `training due ${trainingId(tr)} 2025-03-14`),
    done: (w, _actor, tr) => w.store.trainings.find((t) => t.number === tr)?.dueOn === '2025-03-14',
  }),
  row({
    action: '`/coe sop retire <key>` (Teams `sop retire …`)',
    covers: ['sopRetire'],
    allowed: ['coe'],
    refusal: STANDARDS,
    call: (w, actor) => w.coe(actor, 'sop retire inventory-scanning'),
    done: (w) => (w.store.sops.find((s) => s.key === 'inventory-scanning')?.retiredAt ?? null) !== null,
  }),
  row({
    action: '`/coe constraint end EX-2` (Teams `constraint end EX-2`)',
    covers: ['constraintEnd'],
    allowed: ['executive'],
    refusal: DIRECTION,
    setup: (w) => w.coe(eve, 'constraint add priority Faster counts'),
    call: (w, actor) => w.coe(actor, 'constraint end EX-1'),
    done: async (w) => ((await w.repos((repos) => repos.constraints.get(1)))?.endedAt ?? null) !== null,
  }),
  row({
    action: '`/coe team rename <name> to <new name>` (Teams `team rename …`)',
    covers: ['teamRename'],
    allowed: ['coe'],
    refusal: TEAMS,
    call: (w, actor) => w.coe(actor, 'team rename Warehouse to Stores'),
    done: async (w) => (await w.repos((repos) => repos.teams.byName('Stores'))) !== undefined,
  }),
  row({
    action: '`/coe team archive <name>` (Teams `team archive …`)',
    covers: ['teamArchive'],
    allowed: ['coe'],
    refusal: TEAMS,
    call: (w, actor) => w.coe(actor, 'team archive Warehouse'),
    done: async (w) => ((await w.repos((repos) => repos.teams.byName('Warehouse')))?.archivedAt ?? null) !== null,
  }),
  row({
    action: '`/coe team member remove @person <team>` (Teams `team member remove …`)',
    covers: ['teamMemberRemove'],
    allowed: ['coe'],
    refusal: TEAMS,
    call: (w, actor) => w.coe(actor, 'team member remove @mention Warehouse', { mentions: [wanda] }),
    done: async (w) => {
      const id = await w.teamId('Warehouse');
      return !(await w.repos((repos) => repos.teams.members(id))).some((m) => m.personId === w.idOf(wanda));
    },
  }),
];

permissionTable('permissions-lifecycle', rows);
