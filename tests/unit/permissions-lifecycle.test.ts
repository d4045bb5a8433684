/**
 * The permission table as one test, part 3 (issue 12): the ends of lifecycles — pausing, resuming, changing and
 * stopping an audit plan, cancelling a training or moving its due date, retiring a standard. DOMAIN.md gives planning
 * audits, assigning training and the registry to the CoE alone, so each of these is the CoE's, and an audit's owner
 * or a training's assignee may not do it either. The cast and the runner: tests/support/permission-table.ts.
 */
import { auditId } from '../../src/domain/audit.ts';
import { trainingId } from '../../src/domain/training.ts';
import { must, type PermissionRow, pat, permissionTable, row, type World } from '../support/permission-table.ts';

const AUDITS = /^Only CoE members pause, resume, change or stop audits\. Nothing was changed\.$/;
const TRAININGS = /^Only CoE members cancel a training or move its due date\. Nothing was changed\.$/;
const STANDARDS = /^Only CoE members retire standards\. Nothing was changed\.$/;

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
];

permissionTable('permissions-lifecycle', rows);
