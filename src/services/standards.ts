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
import { checkClarity, textClarity } from '../domain/clarity.ts';
import { CONSTRAINT_KIND_LABELS, type ConstraintInput } from '../domain/constraint.ts';
import { CoeError } from '../domain/errors.ts';
import { PAGE_LIMITS } from '../domain/markdown.ts';
import { coeCommand, type Message, type MessageBlock, message } from '../domain/message.ts';
import type { Person, PersonRef } from '../domain/people.ts';
import { may } from '../domain/people.ts';
import { type SopDetails, type SopSummary, sopListMessage, sopMessage } from '../domain/release-messages.ts';
import { FIRST_VERSION, type SopVersion, sopId, titleFromKey, versionText } from '../domain/sop.ts';
import { clarityBlocks, textBlocks } from '../domain/sop-text-messages.ts';
import type { Clock, Repositories, Sop, SopRelease, Store } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';

/** Another part of the loop that has something to say on `sop show` (training, audits). */
export type SopSection = (repos: Repositories, sopKey: string) => Promise<MessageBlock[]>;

/** The version before the current one: the release before the newest, else the baseline, else none. */
function previousVersion(sop: Pick<Sop, 'baseline'> | undefined, releases: readonly SopRelease[]) {
  const [, before] = releases;
  if (before) return { major: before.major, minor: before.minor };
  return releases.length > 0 && sop?.baseline ? FIRST_VERSION : undefined;
}

/** A standard's current version: its newest release, else its baseline, else none. */
export function currentVersion(
  sop: Pick<Sop, 'baseline'> | undefined,
  releases: readonly SopRelease[],
): SopVersion | undefined {
  const [latest] = releases;
  if (latest) return { major: latest.major, minor: latest.minor };
  return sop?.baseline ? FIRST_VERSION : undefined;
}

/** A registration refused because of one field of the form (the key is taken, the owner unknown). */
export class BaselineFieldError extends CoeError {
  constructor(
    readonly field: 'key' | 'owner',
    userMessage: string,
  ) {
    super('INPUT.INVALID', userMessage);
  }
}

/** What a new standard's v1.0 says, and who owns it (else whoever registers it). */
export interface Baseline {
  text?: string;
  link?: string;
  owner?: PersonRef | { id: number };
}

/** Who owns a new standard: the person picked (on the platform, or among the offered owners), else `fallback`. */
async function ownerOf(repos: Repositories, owner: Baseline['owner'], fallback: number): Promise<number> {
  if (!owner) return fallback;
  if ('id' in owner) {
    if (!(await repos.people.get(owner.id))) {
      throw new BaselineFieldError('owner', 'Pick the owner from the list. Nothing was registered.');
    }
    return owner.id;
  }
  return (await repos.people.identify(owner)).id;
}

/**
 * Past about this many characters of message (a long history, many open changes, trainings and audits beside a page of
 * text), Slack may refuse it (msg_blocks_too_long): the text is then pointed to instead of shown.
 */
const OVERVIEW_MAX = 11_000;

/**
 * The current version's text on `sop show`: its first page with "Show more" (or, where the rest of the standard's
 * details leave no room for it, the command that shows it), and, once there are several versions, how to read an
 * earlier one and what changed (history on request).
 */
async function currentText(
  repos: Repositories,
  key: string,
  title: string,
  version: SopVersion | undefined,
  previous: SopVersion | undefined,
): Promise<{ page: MessageBlock[]; pointer: MessageBlock[] }> {
  const content = version ? await repos.sopTexts.get(key, version) : undefined;
  const history: MessageBlock[] = [];
  if (version && previous) {
    const [before, now] = [versionText(previous), versionText(version)];
    history.push({
      type: 'note',
      text: `Earlier versions: ${coeCommand(`sop show ${key} ${before}`)}; what changed: ${coeCommand(`sop diff ${key} ${before} ${now}`)}.`,
    });
  }
  if (!content || !version) return { page: history, pointer: history };
  const read = coeCommand(`sop show ${key} ${versionText(version)}`);
  return {
    page: [
      ...textBlocks({ key, title, version, current: version, text: content.text, link: content.link }),
      ...history,
    ],
    pointer: [{ type: 'note', text: `Read what ${versionText(version)} says with ${read}.` }, ...history],
  };
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

  /**
   * `sop new <key> <title>`, or its form: registers a standard already in use, as its v1.0 baseline (CoE only), with
   * what v1.0 says when given (its text, its document's link) and its owner (else whoever registers it). That text is
   * written once, here; only a release makes a new one (seed §8).
   */
  async registerSop(request: CoeRequest, key: string, title: string, baseline: Baseline = {}): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await this.allowed(repos, request.actor, 'manageSops', 'Only CoE members register standards.');
      await repos.sops.lock(key);
      if (await repos.sops.get(key)) {
        throw new BaselineFieldError(
          'key',
          `${sopId(key)} is registered already: see it with ${coeCommand(`sop show ${key}`)}.`,
        );
      }
      const ownerPersonId = await ownerOf(repos, baseline.owner, person.id);
      await repos.sops.create({ key, title, ownerPersonId, baseline: true });
      if (baseline.text || baseline.link) {
        const { major, minor } = FIRST_VERSION;
        const text = baseline.text ?? '';
        await repos.sopTexts.add({
          sopKey: key,
          major,
          minor,
          text,
          link: baseline.link ?? null,
          createdByPersonId: person.id,
          clarity: textClarity(text),
        });
      }
      await repos.events.record({
        actorPersonId: person.id,
        subject: sopId(key),
        action: 'sop.registered',
        to: 'v1.0',
        ...(baseline.text || baseline.link
          ? { data: { characters: baseline.text?.length ?? 0, link: Boolean(baseline.link) } }
          : {}),
      });
    });
    if (outcome.duplicate) return message('Already done.');
    const done = `Done: ${sopId(key)} v1.0 "${title}" is registered. It changes only through approved change requests and releases.`;
    if (!baseline.text) return message(done);
    return {
      text: done,
      blocks: [
        { type: 'paragraph', text: `${done} Read it with ${coeCommand(`sop show ${key}`)}.` },
        ...clarityBlocks(checkClarity(baseline.text)),
      ],
    };
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
      const version = currentVersion(sop, releases);
      const title = sop?.title ?? titleFromKey(key);
      const text = await currentText(repos, key, title, version, previousVersion(sop, releases));
      const details: SopDetails = {
        key,
        title,
        version,
        text: text.page,
        ownerName: await this.nameOf(repos, sop?.ownerPersonId ?? null),
        retiredAt: sop?.retiredAt ?? null,
        baseline: sop?.baseline ? { at: sop.createdAt } : undefined,
        history,
        changes: changes.map((c) => ({ number: c.number, title: c.title, status: c.status })),
        extra,
      };
      // A page takes up to PAGE_LIMITS.slack characters; the rest of the details must leave room for one.
      const rest = JSON.stringify(sopMessage({ ...details, text: text.pointer })).length;
      return sopMessage(rest + PAGE_LIMITS.slack <= OVERVIEW_MAX ? details : { ...details, text: text.pointer });
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
