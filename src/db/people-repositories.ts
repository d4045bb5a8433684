/**
 * The Prisma repository of people: who is behind a platform identity, their layer, usual team and name. Works inside
 * the caller's transaction.
 */
import type { KnownIdentity, Layer, Person, PersonRef, Platform } from '../domain/people.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { PeopleRepository } from '../ports.ts';

type Tx = Prisma.TransactionClient;

export function peopleRepository(tx: Tx): PeopleRepository {
  const repository: PeopleRepository = {
    async identify(ref: PersonRef): Promise<Person> {
      const [person] = await repository.identifyMany([ref]);
      if (!person) throw new Error(`identify: no person for ${ref.platform}:${ref.externalId}`);
      return { id: person.id, layer: person.layer, displayName: person.displayName };
    },
    async identifyMany(refs, { known } = {}) {
      const keyOf = (r: PersonRef) => `${r.platform}:${r.externalId}`;
      // One ref per identity; the last display name given wins.
      const wanted = new Map<string, PersonRef>();
      for (const r of refs) {
        const before = wanted.get(keyOf(r));
        wanted.set(keyOf(r), {
          ...r,
          displayName: r.displayName ?? before?.displayName,
          handle: r.handle ?? before?.handle,
        });
      }
      if (wanted.size === 0) return [];
      const found = known ?? (await identitiesWithPeople(tx, [...wanted.values()]));
      const people = new Map<string, Person & { lastTeam: string | null }>(
        found.map(({ platform, externalId, ...person }) => [keyOf({ platform, externalId }), person]),
      );
      // A first day's burst is mostly people the bot has never seen: they are made together, in one statement, and
      // the names that changed are written together too, rather than a few statements per person.
      const unknown = [...wanted].filter(([key]) => !people.has(key)).map(([, ref]) => ref);
      for (const made of await createPeople(tx, unknown)) {
        const { platform, externalId, ...person } = made;
        people.set(keyOf({ platform, externalId }), { ...person, lastTeam: null });
      }
      const renamed: { id: number; displayName: string }[] = [];
      for (const [key, ref] of wanted) {
        const person = people.get(key) as Person & { lastTeam: string | null };
        const name = betterName(person.displayName, ref);
        if (name !== person.displayName && name !== null) {
          person.displayName = name;
          renamed.push({ id: person.id, displayName: name });
        }
      }
      if (renamed.length > 0) {
        await tx.$executeRaw`
          UPDATE person SET display_name = r.name
          FROM unnest(${renamed.map((r) => r.id)}::int[], ${renamed.map((r) => r.displayName)}::text[]) AS r(id, name)
          WHERE person.id = r.id`;
      }
      return refs.map((ref) => {
        const { id, layer, displayName, lastTeam } = people.get(keyOf(ref)) as NonNullable<
          ReturnType<typeof people.get>
        >;
        return { id, layer, displayName, lastTeam };
      });
    },
    async setLayer(personId: number, layer: Layer) {
      await tx.person.update({ where: { id: personId }, data: { layer } });
    },
    async find(ref: PersonRef) {
      const [found] = await identitiesWithPeople(tx, [ref]);
      if (!found) return undefined;
      const { id, layer, displayName, lastTeam } = found;
      return { id, layer, displayName, lastTeam };
    },
    async get(personId: number) {
      const person = await tx.person.findUnique({ where: { id: personId } });
      return person
        ? { id: person.id, layer: person.layer, displayName: person.displayName, lastTeam: person.lastTeam }
        : undefined;
    },
    async rename(ref: PersonRef, displayName: string) {
      const identity = await tx.platformIdentity.findUnique({
        where: { platform_externalId: { platform: ref.platform, externalId: ref.externalId } },
        select: { personId: true },
      });
      if (!identity) return false;
      await tx.person.updateMany({
        where: { id: identity.personId, OR: [{ displayName: null }, { NOT: { displayName } }] },
        data: { displayName },
      });
      return true;
    },
    async withLayers(layers) {
      const rows = await tx.person.findMany({ where: { layer: { in: [...layers] } }, orderBy: { id: 'asc' } });
      return rows.map((p) => ({ id: p.id, layer: p.layer, displayName: p.displayName }));
    },
    async identitiesOf(personId: number) {
      const rows = await tx.platformIdentity.findMany({ where: { personId } });
      return rows.map((r) => ({ platform: r.platform, externalId: r.externalId }));
    },
  };
  return repository;
}

/**
 * The identities asked for that exist, each with its person, as the rows of a query: one statement (Prisma's
 * `include` would be two), or a part of a larger read (the friction intake's survey).
 */
export function knownIdentities(refs: readonly PersonRef[]): Prisma.Sql {
  return Prisma.sql`
    SELECT i.platform::text AS platform, i.external_id AS "externalId",
           p.id, p.layer::text AS layer, p.display_name AS "displayName", p.last_team AS "lastTeam"
    FROM unnest(${refs.map((r) => r.platform)}::text[], ${refs.map((r) => r.externalId)}::text[]) AS w(platform, external_id)
    JOIN platform_identity i ON i.platform = w.platform::"Platform" AND i.external_id = w.external_id
    JOIN person p ON p.id = i.person_id`;
}

function identitiesWithPeople(tx: Tx, refs: readonly PersonRef[]): Promise<KnownIdentity[]> {
  return tx.$queryRaw<KnownIdentity[]>(knownIdentities(refs));
}

/**
 * New people, each with their identity, in one statement: their ids are drawn first, so both rows of each person are
 * written from the same line. Answers one row per ref, in no particular order.
 */
async function createPeople(
  tx: Tx,
  refs: readonly PersonRef[],
): Promise<{ platform: Platform; externalId: string; id: number; layer: Layer; displayName: string | null }[]> {
  if (refs.length === 0) return [];
  return tx.$queryRaw`
    WITH wanted AS MATERIALIZED (
      SELECT nextval(pg_get_serial_sequence('person', 'id'))::int AS id, w.platform, w.external_id, w.name
      FROM unnest(${refs.map((r) => r.platform)}::text[], ${refs.map((r) => r.externalId)}::text[],
                  ${refs.map((r) => r.displayName ?? r.handle ?? null)}::text[]) AS w(platform, external_id, name)),
    people AS (
      INSERT INTO person (id, display_name) SELECT id, name FROM wanted
      RETURNING id, layer::text AS layer, display_name),
    identities AS (
      INSERT INTO platform_identity (platform, external_id, person_id)
      SELECT platform::"Platform", external_id, id FROM wanted)
    SELECT w.platform, w.external_id AS "externalId", p.id, p.layer, p.display_name AS "displayName"
    FROM wanted w JOIN people p ON p.id = w.id`;
}

/** The name to keep: the platform's display name when it gives one; a handle only where there is no name yet. */
function betterName(current: string | null, ref: PersonRef): string | null {
  return ref.displayName ?? current ?? ref.handle ?? null;
}
