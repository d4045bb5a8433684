/**
 * The registry side of change management, for both platforms: standards (`sop new | show | list`), executive
 * direction (`constraint add | list`) and the AI usage rules (`ai <tool>`). Changing a standard or an AI rule is not
 * here: that is a change request and a release.
 */
import { findAiRules } from '../domain/ai-rules.ts';
import { constraintId } from '../domain/change.ts';
import {
  aiNotListedMessage,
  aiRuleListMessage,
  aiRuleMessage,
  constraintListMessage,
} from '../domain/change-messages.ts';
import { CONSTRAINT_KIND_LABELS, type ConstraintInput } from '../domain/constraint.ts';
import { CoeError } from '../domain/errors.ts';
import { coeCommand, type Message, type MessageBlock, message } from '../domain/message.ts';
import type { Person, PersonRef } from '../domain/people.ts';
import { may } from '../domain/people.ts';
import { type SopDetails, type SopSummary, sopListMessage, sopMessage } from '../domain/release-messages.ts';
import { FIRST_VERSION, type SopVersion, sopId, titleFromKey } from '../domain/sop.ts';
import type { Clock, Repositories, Sop, SopRelease, Store } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';

/** Another part of the loop that has something to say on `sop show` (training, audits). */
export type SopSection = (repos: Repositories, sopKey: string) => Promise<MessageBlock[]>;

/** A standard's current version: its newest release, else its baseline, else none. */
export function currentVersion(
  sop: Pick<Sop, 'baseline'> | undefined,
  releases: readonly SopRelease[],
): SopVersion | undefined {
  const [latest] = releases;
  if (latest) return { major: latest.major, minor: latest.minor };
  return sop?.baseline ? FIRST_VERSION : undefined;
}

export class StandardsService {
  private readonly sections: SopSection[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Lets training and audits add their part to `sop show`. */
  addSopSection(section: SopSection): void {
    this.sections.push(section);
  }

  /** `sop new <key> <title>`: registers a standard already in use, as its v1.0 baseline (CoE only). */
  async registerSop(request: CoeRequest, key: string, title: string): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await this.allowed(repos, request.actor, 'manageSops', 'Only CoE members register standards.');
      await repos.sops.lock(key);
      if (await repos.sops.get(key)) {
        throw new CoeError(
          'INPUT.INVALID',
          `${sopId(key)} is registered already: see it with ${coeCommand(`sop show ${key}`)}.`,
        );
      }
      await repos.sops.create({ key, title, ownerPersonId: person.id, baseline: true });
      await repos.events.record({
        actorPersonId: person.id,
        subject: sopId(key),
        action: 'sop.registered',
        to: 'v1.0',
      });
    });
    if (outcome.duplicate) return message('Already done.');
    return message(
      `Done: ${sopId(key)} v1.0 "${title}" is registered. It changes only through approved change requests and releases.`,
    );
  }

  /** `sop show <key>`: anyone may look. */
  async showSop(key: string): Promise<Message> {
    return this.store.transaction(async (repos) => {
      const sop = await repos.sops.get(key);
      const changes = await repos.changes.bySop(key);
      if (!sop && changes.length === 0) {
        throw new CoeError(
          'NOT_FOUND',
          `There is no ${sopId(key)}. See the registered standards with ${coeCommand('sop list')}.`,
        );
      }
      const releases = await repos.sops.releases(key);
      const history = await Promise.all(
        releases.map(async (r) => ({
          version: { major: r.major, minor: r.minor },
          notes: r.notes,
          tags: r.tags,
          changes: r.changes,
          publishedAt: r.publishedAt,
          deployed: (await repos.sops.acknowledgements(r.id)).length,
          teams: r.teamIds.length > 0 ? r.teamIds.length : (await repos.teams.list()).length,
        })),
      );
      const extra: MessageBlock[] = [];
      for (const section of this.sections) extra.push(...(await section(repos, key)));
      const details: SopDetails = {
        key,
        title: sop?.title ?? titleFromKey(key),
        version: currentVersion(sop, releases),
        ownerName: await this.nameOf(repos, sop?.ownerPersonId ?? null),
        retiredAt: sop?.retiredAt ?? null,
        baseline: sop?.baseline ? { at: sop.createdAt } : undefined,
        history,
        changes: changes.map((c) => ({ number: c.number, title: c.title, status: c.status })),
        extra,
      };
      return sopMessage(details);
    });
  }

  /** `sop list`. */
  async listSops(): Promise<Message> {
    return this.store.transaction(async (repos) => {
      const sops = await repos.sops.list();
      const summaries: SopSummary[] = [];
      for (const sop of sops) {
        summaries.push({
          key: sop.key,
          title: sop.title,
          version: currentVersion(sop, await repos.sops.releases(sop.key)),
          ownerName: await this.nameOf(repos, sop.ownerPersonId),
          retiredAt: sop.retiredAt,
        });
      }
      return sopListMessage(summaries);
    });
  }

  /** `constraint add …`: executives set direction, nobody else (seed §5). */
  async addConstraint(request: CoeRequest, input: ConstraintInput): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await this.allowed(
        repos,
        request.actor,
        'setDirection',
        'Only executives set priorities, constraints and outcome targets; the CoE designs how to meet them.',
      );
      const created = await repos.constraints.create({
        kind: input.kind,
        text: input.text,
        until: input.until ? new Date(`${input.until}T00:00:00.000Z`) : null,
        createdByPersonId: person.id,
      });
      await repos.events.record({
        actorPersonId: person.id,
        subject: constraintId(created.number),
        action: 'constraint.added',
        to: input.kind,
      });
      return created;
    });
    if (outcome.duplicate) return message('Already done.');
    const c = outcome.value;
    return message(
      `Done: ${constraintId(c.number)} (${CONSTRAINT_KIND_LABELS[c.kind].toLowerCase()}) "${c.text}". Change requests can now say they serve it.`,
    );
  }

  async listConstraints(): Promise<Message> {
    const all = await this.store.transaction((repos) => repos.constraints.list());
    return constraintListMessage(all, this.clock.now());
  }

  /** `ai <tool>`: anyone; the rule that applies, or "not listed: ask the CoE". `ai` alone lists them. */
  async aiRule(actor: PersonRef, query: string | undefined): Promise<Message> {
    return this.store.transaction(async (repos) => {
      const rules = await repos.aiRules.all();
      if (!query) return aiRuleListMessage(rules);
      const [best, ...others] = findAiRules(rules, query);
      if (!best) return aiNotListedMessage(query);
      const person = await repos.people.find(actor);
      return aiRuleMessage(
        best,
        person?.layer ?? 'worker',
        others.slice(0, 3).map((r) => r.tool),
      );
    });
  }

  private async allowed(
    repos: Repositories,
    actor: PersonRef,
    action: 'manageSops' | 'setDirection',
    refusal: string,
  ): Promise<Person> {
    const person = await repos.people.identify(actor);
    if (!may(person.layer, action)) throw new CoeError('PERMISSION.DENIED', refusal);
    return person;
  }

  private async nameOf(repos: Repositories, personId: number | null): Promise<string | null> {
    return personId === null ? null : ((await repos.people.get(personId))?.displayName ?? null);
  }
}
