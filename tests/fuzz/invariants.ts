/**
 * "Nothing half-written": invariants over the tables (prisma/schema.prisma) that every request leaves true, whatever
 * it carried. Each is one SQL query returning the rows that break it; all run in one round trip after every case.
 */
import type { TestDatabase } from '../support/databases.ts';

const INVARIANTS: Record<string, string> = {
  // A report is stored with its review message in the same transaction: posted wherever a review channel was set.
  'a friction report without its review message': `
    SELECT 'FR-' || f.number AS what FROM friction_report f
    WHERE EXISTS (SELECT 1 FROM review_channel r WHERE r.set_at <= f.created_at)
      AND NOT EXISTS (SELECT 1 FROM outbox_message o WHERE o.idempotency_key LIKE 'FR-' || f.number || ':review:%')`,
  'a friction report without the event that it was submitted': `
    SELECT 'FR-' || f.number FROM friction_report f
    WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.subject = 'FR-' || f.number AND e.action = 'friction.submitted')`,
  'a change request raised by a person without its review message': `
    SELECT 'CR-' || c.number FROM change_request c
    WHERE c.requester_person_id IS NOT NULL AND c.status <> 'draft'
      AND EXISTS (SELECT 1 FROM review_channel r WHERE r.set_at <= c.created_at)
      AND NOT EXISTS (SELECT 1 FROM outbox_message o WHERE o.idempotency_key LIKE 'CR-' || c.number || ':review:%')`,
  // Updates and thread replies name the message they belong to by its outbox key.
  'an outbox update of a message that was never queued': `
    SELECT o.idempotency_key FROM outbox_message o
    WHERE o.target->>'kind' = 'update'
      AND NOT EXISTS (SELECT 1 FROM outbox_message p WHERE p.idempotency_key = o.target->>'of')`,
  'an outbox thread reply to a message that was never queued': `
    SELECT o.idempotency_key FROM outbox_message o
    WHERE o.target ? 'threadOf'
      AND NOT EXISTS (SELECT 1 FROM outbox_message p WHERE p.idempotency_key = o.target->>'threadOf')`,
  'an outbox message about a friction report that does not exist': `
    SELECT o.idempotency_key FROM outbox_message o
    WHERE o.idempotency_key ~ '^FR-[0-9]+:'
      AND NOT EXISTS (SELECT 1 FROM friction_report f WHERE o.idempotency_key LIKE 'FR-' || f.number || ':%')`,
  'an outbox message about a change request that does not exist': `
    SELECT o.idempotency_key FROM outbox_message o
    WHERE o.idempotency_key ~ '^CR-[0-9]+:'
      AND NOT EXISTS (SELECT 1 FROM change_request c WHERE o.idempotency_key LIKE 'CR-' || c.number || ':%')`,
  'a duplicate report that names no report, or a missing one': `
    SELECT 'FR-' || f.number FROM friction_report f
    WHERE (f.status = 'duplicate') <> (f.duplicate_of IS NOT NULL)
       OR (f.duplicate_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM friction_report d WHERE d.number = f.duplicate_of))`,
  'a declined report without its lane': `
    SELECT 'FR-' || number FROM friction_report WHERE status = 'declined' AND decline_lane IS NULL`,
  'a report declined for "something else" without the note saying why': `
    SELECT 'FR-' || number FROM friction_report WHERE decline_lane = 'other' AND decline_reason IS NULL`,
  'a change request that cites a friction report that does not exist': `
    SELECT 'CR-' || c.number || ' cites FR-' || n FROM change_request c, unnest(c.friction) AS n
    WHERE NOT EXISTS (SELECT 1 FROM friction_report f WHERE f.number = n)`,
  'an approved change request without any approval': `
    SELECT 'CR-' || c.number FROM change_request c
    WHERE c.status IN ('approved', 'released')
      AND c.requester_person_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM change_approval a WHERE a.change_number = c.number)`,
  'an approval by the requester of the change': `
    SELECT 'CR-' || c.number FROM change_request c JOIN change_approval a ON a.change_number = c.number
    WHERE a.person_id = c.requester_person_id`,
  'a release that ships a change request not marked released by it': `
    SELECT r.sop_key || ' ' || r.major || '.' || r.minor || ' CR-' || n FROM sop_release r, unnest(r.changes) AS n
    WHERE NOT EXISTS (
      SELECT 1 FROM change_request c WHERE c.number = n AND c.status = 'released' AND c.release_id = r.id)`,
  'a released change request that no release ships': `
    SELECT 'CR-' || c.number FROM change_request c
    WHERE c.status = 'released'
      AND NOT EXISTS (SELECT 1 FROM sop_release r WHERE r.id = c.release_id AND c.number = ANY (r.changes))`,
  'a release or training for a team that does not exist': `
    SELECT 'release ' || r.id || ' team ' || t FROM sop_release r, unnest(r.team_ids) AS t
    WHERE NOT EXISTS (SELECT 1 FROM team WHERE id = t)
    UNION ALL
    SELECT 'TR-' || tr.number || ' team ' || t FROM training tr, unnest(tr.team_ids) AS t
    WHERE NOT EXISTS (SELECT 1 FROM team WHERE id = t)`,
  'a "deployed" for a team the release was not announced to': `
    SELECT 'release ' || a.release_id || ' team ' || a.team_id FROM release_ack a JOIN sop_release r ON r.id = a.release_id
    WHERE cardinality(r.team_ids) > 0 AND NOT (a.team_id = ANY (r.team_ids))`,
  'a training for no team and no layer': `
    SELECT 'TR-' || t.number FROM training t
    WHERE cardinality(t.team_ids) + cardinality(t.layers) = 0`,
  'an audit run half recorded (results, time and verdict not all set)': `
    SELECT 'run ' || id FROM audit_run
    WHERE (recorded_at IS NULL) <> (results IS NULL) OR (recorded_at IS NULL) <> (breach IS NULL)`,
  'an audit breach without its redesign': `
    SELECT 'run ' || r.id FROM audit_run r
    WHERE r.breach AND (r.change_number IS NULL
      OR NOT EXISTS (SELECT 1 FROM change_request c WHERE c.number = r.change_number))`,
  'a person without any platform identity': `
    SELECT 'person ' || p.id FROM person p
    WHERE NOT EXISTS (SELECT 1 FROM platform_identity i WHERE i.person_id = p.id)`,
};

const QUERY = Object.entries(INVARIANTS)
  .map(([name, sql]) => `SELECT ${quote(name)} AS invariant, what::text AS what FROM (${sql}) AS broken(what)`)
  .join('\nUNION ALL\n');

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Every invariant that does not hold, with the rows that break it: `invariant: FR-3, FR-4`. */
export async function databaseProblems(db: TestDatabase): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ invariant: string; what: string }[]>(QUERY);
  const byInvariant = new Map<string, string[]>();
  for (const row of rows) byInvariant.set(row.invariant, [...(byInvariant.get(row.invariant) ?? []), row.what]);
  return [...byInvariant].map(([invariant, what]) => `${invariant}: ${what.slice(0, 5).join(', ')}`);
}
