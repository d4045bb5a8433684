/**
 * `metrics` in the core (issue 10): whose scorecard each person gets, which windows are asked for, a small team's own
 * figures hidden, and no person named anywhere in what comes back.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import { TOO_FEW } from '../../src/domain/metrics.ts';
import type { MetricsScope, ScorecardFacts } from '../../src/domain/metrics-facts.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import { carl, expectCoeError, mona, olga, wanda } from '../support/cast.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { type MemoryMetrics, memoryMetrics, noFacts } from '../support/memory-metrics.ts';
import { buildServices } from '../support/services.ts';

const ezra: PersonRef = { platform: 'slack', externalId: 'U0EZRA', displayName: 'Ezra Executive' };

const facts = (scope: MetricsScope): ScorecardFacts => {
  const base = noFacts();
  return {
    ...base,
    speed: { ...base.speed, reports: 4, total: scope.kind === 'team' ? 12 : 20, reportedToTriaged: 1 },
    training: {
      ...base.training,
      trainings: 1,
      teams: [{ teamId: 1, team: 'Warehouse', assigned: 5, doneByDue: 4 }],
    },
  };
};

describe('metrics service', () => {
  let store: MemoryStore;
  let source: MemoryMetrics;
  let services: ReturnType<typeof buildServices>;
  let keys = 0;
  const ask = (actor: PersonRef, text: string) =>
    services.commands.handle({ actor, key: `m-${++keys}` }, parseCoeCommand(text, []));

  /** Warehouse with Mona managing it and `size - 1` more people. */
  const team = async (name: string, size: number, manager?: PersonRef) => {
    await store.transaction(async (r) => {
      await r.teams.add(name);
      const t = await r.teams.byName(name);
      if (!t) throw new Error('no team');
      for (let i = 0; i < size; i++) {
        const ref = i === 0 && manager ? manager : { platform: 'slack' as const, externalId: `U0${name}${i}` };
        await r.teams.setMember(t.id, (await r.people.identify(ref)).id, i === 0 && manager !== undefined);
      }
    });
  };

  beforeEach(async () => {
    store = new MemoryStore();
    const clock = new ManualClock('2026-12-03T10:00:00.000Z');
    source = memoryMetrics(store, (_w, scope) => facts(scope));
    services = buildServices(store, clock, { metricsSource: source });
    await services.admin.bootstrapCoeMembers([olga, carl]);
    await store.transaction(async (r) => {
      await r.people.setLayer((await r.people.identify(mona)).id, 'manager');
      await r.people.setLayer((await r.people.identify(ezra)).id, 'executive');
      await r.people.identify(wanda);
    });
    await team('Warehouse', 6, mona);
    await team('Office', 3);
  });

  it("gives CoE members and executives the organisation's scorecard over 90 days and the 90 before", async () => {
    for (const who of [olga, ezra]) {
      const answer = JSON.stringify(await ask(who, 'metrics'));
      expect(answer).toContain('CoE scorecard · the organisation · the last 90 days');
      expect(answer).toContain('Speed of iteration** · 20 days');
    }
    const [current, previous] = source.asked;
    expect(current?.scope).toEqual({ kind: 'organisation' });
    expect(current?.window.to).toEqual(new Date('2026-12-03T10:00:00.000Z'));
    expect(previous?.window.to).toEqual(current?.window.from);
  });

  it('gives a manager the team they manage, and any team to the CoE', async () => {
    expect(JSON.stringify(await ask(mona, 'metrics 30d'))).toContain('CoE scorecard · Warehouse · the last 30 days');
    expect(source.asked.at(-1)?.scope).toMatchObject({ kind: 'team', teamName: 'Warehouse' });
    expect(JSON.stringify(await ask(olga, 'metrics quarter warehouse'))).toContain('Warehouse · Q3 2026');
  });

  it('hides the figures of a team smaller than the minimum group', async () => {
    const answer = JSON.stringify(await ask(olga, 'metrics Office'));
    expect(answer).toContain('Office has too few people for figures of its own');
    expect(answer).toContain(`Speed of iteration** · ${TOO_FEW}`);
    expect(answer).not.toContain('12 days');
  });

  it('refuses workers, unknown teams, and a manager asking about a team not theirs', async () => {
    const refused = await expectCoeError(ask(wanda, 'metrics'), 'PERMISSION.DENIED');
    expect(refused.userMessage).toMatch(/^Metrics are for managers, executives and the CoE/);
    const unknown = await expectCoeError(ask(olga, 'metrics Nowhere'), 'NOT_FOUND');
    expect(unknown.userMessage).toContain('There is no team "Nowhere"');
    const other = await expectCoeError(ask(mona, 'metrics Office'), 'PERMISSION.DENIED');
    expect(other.userMessage).toContain('Office is not one of yours');
  });

  it('names nobody: no display name or platform id of anyone in the answer', async () => {
    const answers = [await ask(olga, 'metrics'), await ask(mona, 'metrics'), await ask(ezra, 'metrics Warehouse')];
    const text = JSON.stringify(answers);
    for (const person of [olga, carl, mona, ezra, wanda]) {
      expect(text).not.toContain(person.externalId);
      if (person.displayName) expect(text).not.toContain(person.displayName);
    }
  });
});
