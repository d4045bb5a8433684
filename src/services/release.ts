/**
 * SOP releases (seed §4 "CoE publishes updated standards. Managers deploy them."), for both platforms: the CoE
 * publishes a version of one standard from its approved change requests; the release is announced in every target
 * team's channels through the outbox, with a "Deployed in my team" button for that team's managers; the CoE watches
 * the fan-out's progress and gets a summary of what failed. Publishing releases the change requests, resolves their
 * friction reports, and for the AI usage rules standard writes the rules it carries.
 */
import { aiToolKey } from '../domain/ai-rules.ts';
import { bumpOf, changeId, type Improvement } from '../domain/change.ts';
import { CoeError } from '../domain/errors.ts';
import { deployedArchivedRefusal, retiredRefusal } from '../domain/lifecycle-messages.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { may, type PersonRef } from '../domain/people.ts';
import {
  defaultNotes,
  defaultTags,
  planRelease,
  type ReleaseCandidate,
  type ReleaseFieldErrors,
} from '../domain/release.ts';
import {
  announcementMessage,
  parseDeployedValue,
  type ReleaseView,
  releaseConfirmation,
  releaseProgressMessage,
  releaseSummaryMessage,
} from '../domain/release-messages.ts';
import { AI_RULES_SOP, nextVersion, releaseBump, releaseName, sopId, titleFromKey } from '../domain/sop.ts';
import type { Clock, OutboundMessage, OutboxRow, Repositories, SopRelease, Store, Team } from '../ports.ts';
import type { ChangeService } from './change.ts';
import type { FrictionService } from './friction.ts';
import { type Notices, withNotices } from './notices.ts';
import { publisherOf, releaseCandidates, releaseView } from './release-records.ts';
import { announcedText, catchUps, planText, type ReleaseTextPreview, writeText } from './release-text.ts';
import { postReview, replyInThread, updateReview } from './review-thread.ts';
import { currentVersion } from './standards.ts';

export interface ReleaseRequest {
  actor: PersonRef;
  /** The inbound interaction's idempotency key. */
  key: string;
  /** The fingerprint of the next version's text the form showed (`ReleaseTextPreview`), if it showed one. */
  previewed?: string;
}

/** What the release form offers: approved change requests by standard, and the teams to announce to. */
export interface ReleaseFormOptions {
  standards: { sopKey: string; sopTitle: string; changes: ReleaseCandidate[] }[];
  teams: Team[];
  /** The notes and tags to start from, and what the next version's text would be, when the form is for one standard. */
  prefill?: { notes: string; tags: Improvement[]; text: ReleaseTextPreview };
}

/** Not published: what to fix, and the next version's text as the form should show it now (when it depends on it). */
export type PublishResult =
  | { ok: false; errors: ReleaseFieldErrors; text?: ReleaseTextPreview }
  | { ok: true; confirmation: Message };

const TEXT_CHANGED =
  'The next version’s text is not what this form showed (the changes picked, or the standard, changed since): look at it again and press Publish to publish it.';

/** How many failures the CoE's summary names. */
const SUMMARY_FAILURES = 20;
/** The CoE's progress message is refreshed at most this often while announcements go out. */
const PROGRESS_EVERY_MS = 1000;

const batchOf = (releaseId: number) => `release:${releaseId}`;
const subjectOf = (releaseId: number) => `release:${releaseId}`;
const announcementKey = (releaseId: number, platform: string, channelId: string) =>
  `release:${releaseId}:ann:${platform}:${channelId}`;

export interface ReleaseLogger {
  error(obj: object, msg: string): void;
}

export class ReleaseService {
  private readonly pendingRefresh = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly friction: FrictionService,
    private readonly changes: ChangeService,
    private readonly log: ReleaseLogger,
  ) {}

  /** The form's choices (CoE only). Refused with a reason when no approved change request waits for a release. */
  async formOptions(actor: PersonRef, sopKey?: string): Promise<ReleaseFormOptions> {
    return this.store.transaction(async (repos) => {
      await publisherOf(repos, actor);
      const retired = new Set((await repos.sops.list()).filter((s) => s.retiredAt).map((s) => s.key));
      if (sopKey && retired.has(sopKey)) throw new CoeError('INPUT.INVALID', retiredRefusal(sopKey, 'releases'));
      const candidates = (await releaseCandidates(repos)).filter(
        (c) => (!sopKey || c.sopKey === sopKey) && !retired.has(c.sopKey),
      );
      if (candidates.length === 0) {
        throw new CoeError(
          'INPUT.INVALID',
          `No approved change request waits for a release${sopKey ? ` of ${sopId(sopKey)}` : ''}: a release ships approved changes only, so there is nothing to publish yet.`,
        );
      }
      const standards: ReleaseFormOptions['standards'] = [];
      for (const candidate of candidates) {
        let standard = standards.find((s) => s.sopKey === candidate.sopKey);
        if (!standard) {
          const sop = await repos.sops.get(candidate.sopKey);
          standard = { sopKey: candidate.sopKey, sopTitle: sop?.title ?? titleFromKey(candidate.sopKey), changes: [] };
          standards.push(standard);
        }
        standard.changes.push(candidate);
      }
      const teams = (await repos.teams.list()).map((t) => ({ id: t.id, name: t.name }));
      const [only] = standards;
      if (standards.length !== 1 || !only) return { standards, teams };
      const sop = await repos.sops.get(only.sopKey);
      const bump = releaseBump(only.changes.map((c) => bumpOf(c.improvement)));
      const next = nextVersion(currentVersion(sop, await repos.sops.releases(only.sopKey)), bump);
      const numbers = only.changes.map((c) => c.number);
      const { preview } = await planText(repos, only.sopKey, numbers, next);
      return {
        standards,
        teams,
        prefill: { notes: defaultNotes(only.changes), tags: defaultTags(only.changes), text: preview },
      };
    });
  }

  /**
   * Publishes a release from the form, or says what to fix. The same submission twice publishes once. Everything
   * it starts (announcements, progress, one note to each requester and reporter) is queued in the same transaction.
   */
  async publish(request: ReleaseRequest, raw: Record<string, unknown>): Promise<PublishResult> {
    const run = async (repos: Repositories, notices: Notices): Promise<PublishResult> => {
      const actor = await publisherOf(repos, request.actor);
      const done = await repos.sops.releaseBySubmissionKey(request.key);
      if (done)
        return {
          ok: true,
          confirmation: releaseConfirmation(
            await releaseView(repos, done),
            (await repos.teams.channels(done.teamIds)).length,
          ),
        };
      const allTeams = (await repos.teams.list()).map((t) => ({ id: t.id, name: t.name }));
      const planned = planRelease(raw, await releaseCandidates(repos), allTeams);
      if (!planned.ok) return planned;
      const plan = planned.value;
      if (allTeams.length === 0) {
        return {
          ok: false,
          errors: {
            teams: `There are no teams to announce it to yet: add them with ${coeCommand('team add <name> #channel')}.`,
          },
        };
      }

      await repos.sops.lock(plan.sopKey);
      const existing = await repos.sops.get(plan.sopKey);
      if (existing?.retiredAt) throw new CoeError('INPUT.INVALID', retiredRefusal(existing.key, 'releases'));
      const version = nextVersion(currentVersion(existing, await repos.sops.releases(plan.sopKey)), plan.bump);
      // The text it writes, checked before anything is written: the form must have shown it.
      const text = await planText(repos, plan.sopKey, plan.changes, version, plan.pick);
      if (plan.pick !== undefined && !(text.outcome.kind === 'text' && text.outcome.picked === plan.pick)) {
        return { ok: false, errors: { text: `${changeId(plan.pick)} proposes no text: pick one that does.` } };
      }
      if (text.outcome.kind === 'conflict') {
        return { ok: false, errors: { text: text.preview.summary }, text: text.preview };
      }
      // A new text is published only as the form showed it; so is any outcome, when the form showed one.
      const shown = request.previewed !== undefined || text.outcome.kind === 'text';
      if (shown && request.previewed !== text.preview.fingerprint) {
        return { ok: false, errors: { text: TEXT_CHANGED }, text: text.preview };
      }
      const sop =
        existing ??
        (await repos.sops.create({
          key: plan.sopKey,
          title: titleFromKey(plan.sopKey),
          ownerPersonId: actor.id,
          baseline: false,
        }));
      const release = await repos.sops.createRelease({
        sopKey: sop.key,
        major: version.major,
        minor: version.minor,
        notes: plan.notes,
        tags: plan.tags,
        changes: plan.changes,
        teamIds: plan.teamIds.length > 0 ? plan.teamIds : allTeams.map((t) => t.id),
        publishedByPersonId: actor.id,
        submissionKey: request.key,
      });
      const name = releaseName(sop.key, version);
      const textChange = await writeText(repos, sop.key, version, text, actor.id);
      await repos.events.record({
        actorPersonId: actor.id,
        subject: sopId(sop.key),
        action: 'sop.released',
        to: name,
        data: { changes: plan.changes, ...(text.outcome.kind === 'text' ? { text: text.outcome.from } : {}) },
      });

      const linkedFriction: number[] = [];
      for (const number of plan.changes) {
        const before = await repos.changes.getForUpdate(number);
        if (before?.status !== 'approved') {
          throw new CoeError(
            'INPUT.INVALID',
            `${changeId(number)} is no longer approved; open the release form again.`,
          );
        }
        const after = await repos.changes.update(number, { status: 'released', releaseId: release.id });
        await this.changes.changed(repos, notices, actor, before, after, `Released in ${name}.`);
        linkedFriction.push(...after.friction);
        if (sop.key === AI_RULES_SOP.key && after.aiRule) {
          await repos.aiRules.put({
            ...after.aiRule,
            toolKey: aiToolKey(after.aiRule.tool),
            changeNumber: number,
            release: name,
          });
        }
      }
      if (linkedFriction.length > 0) {
        await this.friction.followChange(
          repos,
          notices,
          [...new Set(linkedFriction)],
          'resolved',
          `Resolved by ${name}: the standard changed to fix it.`,
        );
      }

      const view: ReleaseView = { ...(await releaseView(repos, release)), ...(textChange ? { text: textChange } : {}) };
      const channels = await repos.teams.channels(release.teamIds);
      const teams = new Map(allTeams.map((t) => [t.id, t]));
      // A team that skipped a version is told everything that changed since the version it works to.
      const caughtUp = await catchUps(repos, release);
      const announcements: OutboundMessage[] = channels.map((c) => ({
        key: announcementKey(release.id, c.platform, c.channelId),
        platform: c.platform,
        target: { kind: 'channel', channelId: c.channelId },
        body: announcementMessage(
          { ...view, ...caughtUp.get(c.teamId) },
          teams.get(c.teamId) ?? { id: c.teamId, name: 'your team' },
        ),
        batch: batchOf(release.id),
      }));
      await repos.outbox.enqueueMany(announcements);
      await postReview(
        repos,
        subjectOf(release.id),
        releaseProgressMessage(view, {
          total: channels.length,
          sent: 0,
          failed: 0,
          teams: release.teamIds.length,
          deployed: 0,
        }),
      );
      if (channels.length === 0) await this.summarise(repos, release, view);
      return { ok: true, confirmation: releaseConfirmation(view, channels.length) };
    };
    const once = () => this.store.transaction((repos) => withNotices(repos, (notices) => run(repos, notices)));
    try {
      return await once();
    } catch (error) {
      if (error instanceof CoeError) throw error;
      // Two copies of one submission racing: the loser trips on the release's unique submission key, then finds it.
      return once();
    }
  }

  /**
   * "Deployed in my team": a manager of that team, or a CoE member, records that the team works to the release.
   * Counted once per team, however often it is pressed.
   */
  async acknowledge(request: ReleaseRequest, value: string): Promise<Message> {
    const parsed = parseDeployedValue(value);
    if (!parsed) throw new CoeError('INPUT.INVALID', 'That button is out of date. Nothing was changed.');
    return this.store.transaction(async (repos) => {
      const release = await repos.sops.release(parsed.releaseId);
      if (!release?.teamIds.includes(parsed.teamId)) {
        throw new CoeError('INPUT.INVALID', 'That button is out of date. Nothing was changed.');
      }
      const name = releaseName(release.sopKey, release);
      // Teams are archived, never deleted: a release's team that is not there any more is archived.
      const team = await repos.teams.byId(parsed.teamId);
      if (!team || team.archivedAt) throw new CoeError('INPUT.INVALID', deployedArchivedRefusal(name));
      const person = await repos.people.find(request.actor);
      const allowed =
        person !== undefined &&
        may(person.layer, 'acknowledgeDeployment') &&
        (person.layer === 'coe' || (await repos.teams.manages(person.id, team.id)));
      if (!person || !allowed) {
        throw new CoeError(
          'PERMISSION.DENIED',
          `Only ${team.name}'s managers (or the CoE) can say ${name} is deployed there. Nothing was changed.`,
        );
      }
      if (!(await repos.sops.acknowledge(release.id, team.id, person.id))) {
        return message(`Already recorded: ${team.name} works to ${name}.`);
      }
      await repos.events.record({
        actorPersonId: person.id,
        subject: sopId(release.sopKey),
        action: 'release.deployed',
        to: name,
        data: { team: team.name },
      });
      const textChange = await announcedText(repos, release);
      const view: ReleaseView = { ...(await releaseView(repos, release)), ...(textChange ? { text: textChange } : {}) };
      const deployed = { by: person.displayName, at: this.clock.now() };
      const forTeam: ReleaseView = { ...view, ...(await catchUps(repos, release, [team.id])).get(team.id) };
      for (const channel of await repos.teams.channels([team.id])) {
        const key = announcementKey(release.id, channel.platform, channel.channelId);
        if (!(await repos.outbox.has(key))) continue;
        await repos.outbox.enqueue({
          key: `${key}:deployed`,
          platform: channel.platform,
          target: { kind: 'update', of: key },
          body: announcementMessage(forTeam, team, deployed),
        });
      }
      await this.refreshProgress(repos, release, view);
      return message(`Recorded: ${team.name} works to ${name}. Thank you.`);
    });
  }

  /** The deliverer's hook: an announcement was sent or failed, so the CoE's progress message is due a refresh. */
  onSettled(row: OutboxRow): void {
    const id = /^release:(\d+)$/.exec(row.batch ?? '')?.[1];
    if (id === undefined) return;
    const releaseId = Number(id);
    if (this.pendingRefresh.has(releaseId)) return;
    const timer = setTimeout(() => {
      this.pendingRefresh.delete(releaseId);
      this.refresh(releaseId).catch((error: unknown) =>
        this.log.error({ err: error, releaseId }, 'release: could not refresh the progress'),
      );
    }, PROGRESS_EVERY_MS);
    timer.unref();
    this.pendingRefresh.set(releaseId, timer);
  }

  /** Refreshes the progress of every release still going out (start-up: a crash may have cut one short). */
  async resume(): Promise<void> {
    const open = await this.store.transaction((repos) => repos.sops.undelivered());
    for (const release of open) await this.refresh(release.id);
  }

  /** Brings a release's progress message up to date; once every announcement settled, posts the summary once. */
  async refresh(releaseId: number): Promise<void> {
    await this.store.transaction(async (repos) => {
      const release = await repos.sops.release(releaseId);
      if (release) await this.refreshProgress(repos, release, await releaseView(repos, release));
    });
  }

  /** Drops pending refreshes (shutdown). */
  stop(): void {
    for (const timer of this.pendingRefresh.values()) clearTimeout(timer);
    this.pendingRefresh.clear();
  }

  private async refreshProgress(repos: Repositories, release: SopRelease, view: ReleaseView): Promise<void> {
    const progress = await repos.outbox.batchProgress(batchOf(release.id), 0);
    const deployed = (await repos.sops.acknowledgements(release.id)).length;
    await updateReview(
      repos,
      subjectOf(release.id),
      `${progress.sent}-${progress.failed}-${deployed}`,
      releaseProgressMessage(view, { ...progress, teams: release.teamIds.length, deployed }),
    );
    if (progress.sent + progress.failed >= progress.total && !release.delivered)
      await this.summarise(repos, release, view);
  }

  private async summarise(repos: Repositories, release: SopRelease, view: ReleaseView): Promise<void> {
    if (!(await repos.sops.markDelivered(release.id))) return;
    const progress = await repos.outbox.batchProgress(batchOf(release.id), SUMMARY_FAILURES);
    const channels = await repos.teams.channels();
    const teams = new Map((await repos.teams.list()).map((t) => [t.id, t.name]));
    const failures = progress.failures.map((f) => {
      const channelId = f.target.kind === 'channel' ? f.target.channelId : '?';
      const team = channels.find((c) => c.platform === f.platform && c.channelId === channelId);
      return {
        where: `${team ? `${teams.get(team.teamId)}: ` : ''}${f.platform} channel ${channelId}`,
        error: f.error,
      };
    });
    await replyInThread(repos, subjectOf(release.id), 'summary', releaseSummaryMessage(view, progress, failures));
  }
}
