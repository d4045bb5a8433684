/** `intakeRepository` of src/db/friction-intake-repository.ts over the in-memory tables. */
import { frictionId } from '../../src/domain/friction.ts';
import type { KnownIdentity } from '../../src/domain/people.ts';
import {
  type Clock,
  type FrictionIntakeRepository,
  type FrictionReport,
  type FrictionRepository,
  freshReport,
  type OutboxWriter,
  type PeopleRepository,
} from '../../src/ports.ts';
import type { RecordedEvent, StoredFrictionReport, StoredPattern, StoredPerson } from './memory.ts';

interface IntakeTables {
  people: Map<number, StoredPerson>;
  friction: Map<number, StoredFrictionReport>;
  events: RecordedEvent[];
  patterns: StoredPattern[];
}

export function intakeRepository(
  t: IntakeTables,
  seq: { friction: number; pattern: number },
  clock: Clock,
  repos: { friction: FrictionRepository; outbox: OutboxWriter; people: Pick<PeopleRepository, 'find'> },
): FrictionIntakeRepository {
  return {
    async survey({ keys, scan, patterns: { toolKeys, since }, people }) {
      const before = new Map<string, FrictionReport>();
      const numbers = new Map<string, number>();
      for (const key of keys) {
        const report = await repos.friction.bySubmissionKey(key);
        if (report) before.set(key, report);
        else numbers.set(key, seq.friction++);
      }
      // No title words kept here (as for a report stored before they were): the service works them out.
      const open = (await repos.friction.open({ limit: scan })).map(({ number, title, tool, plusOnes, toolKey }) => ({
        number,
        title,
        tool,
        plusOnes,
        toolKey,
        titleWords: [],
      }));
      const recent = new Map<string, number[]>();
      for (const toolKey of new Set(toolKeys)) {
        if (t.patterns.some((p) => p.toolKey === toolKey && p.alertedAt >= since)) continue;
        const about = [...t.friction.values()].filter((r) => r.toolKey === toolKey && r.createdAt >= since);
        recent.set(
          toolKey,
          about.map((r) => r.number).sort((a, b) => a - b),
        );
      }
      const known = new Map<string, KnownIdentity>();
      for (const { platform, externalId } of people) {
        const person = await repos.people.find({ platform, externalId });
        if (person) known.set(`${platform}:${externalId}`, { platform, externalId, ...person });
      }
      return { numbers, before, open, recent, known: [...known.values()] };
    },
    async store({ reports, event, posts, teams, patterns }) {
      const now = clock.now();
      const stored = new Map<string, Date>();
      for (const report of reports) {
        if ([...t.friction.values()].some((r) => r.submissionKey === report.submissionKey)) {
          throw new Error(`friction intake: submission ${report.submissionKey} was stored meanwhile`);
        }
        const row = {
          ...freshReport(structuredClone(report), now),
          submissionKey: report.submissionKey,
          updatedAt: now,
        };
        t.friction.set(row.number, row);
        t.events.push({ actorPersonId: row.reporterPersonId, subject: frictionId(row.number), ...event, at: now });
        stored.set(report.submissionKey, now);
      }
      await repos.outbox.enqueueMany(posts);
      for (const { personId, team } of teams) {
        const person = t.people.get(personId);
        if (!person) throw new Error(`no person ${personId}`);
        person.lastTeam = team;
      }
      for (const pattern of patterns) {
        t.patterns.push({ id: seq.pattern++, ...structuredClone(pattern), alertedAt: now });
      }
      return stored;
    },
  };
}
