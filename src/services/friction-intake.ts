/**
 * Friction intake: the form's defaults and the submissions. Submissions that arrive together are stored together
 * (group commit): one short transaction and a handful of statements for the whole group, whatever its size, and each
 * person is answered once their own report is durable. A burst of reports is stored at the database's pace instead
 * of one interactive transaction per report.
 */
import { CoeError } from '../domain/errors.ts';
import {
  alike,
  type FieldErrors,
  type FrictionInput,
  frictionId,
  keptLikeness,
  type Likeness,
  likeness,
  validateFriction,
} from '../domain/friction.ts';
import { confirmationMessage, recurringPatternMessage, reviewMessage } from '../domain/friction-messages.ts';
import type { Message } from '../domain/message.ts';
import type { Person, PersonRef, Platform } from '../domain/people.ts';
import {
  type Clock,
  type FrictionReport,
  freshReport,
  type NewFrictionReport,
  type OpenReportSummary,
  type OutboundMessage,
  type Repositories,
  type Store,
} from '../ports.ts';
import { GroupCommit, type Outcome } from './group-commit.ts';
import { RecentMap } from './recent.ts';
import { reviewChannels, reviewKey } from './review-thread.ts';

export interface FrictionSettings {
  /** N reports about one tool or process… */
  recurrenceThreshold: number;
  /** …within D days raise one "recurring pattern" alert. */
  recurrenceWindowDays: number;
}

export interface FrictionRequest {
  actor: PersonRef;
  /** The inbound interaction's idempotency key. */
  key: string;
}

export type SubmitResult = { ok: false; errors: FieldErrors } | { ok: true; number: number; confirmation: Message };

interface Submission {
  request: FrictionRequest;
  raw: Record<string, unknown>;
}

/** A new submission's report, numbered, about to be stored. */
type Fresh = Accepted & { row: NewFrictionReport & { number: number } };

/** A submission that passed the form's checks and is not stored yet. */
interface Accepted {
  index: number;
  submission: Submission;
  input: FrictionInput;
  /** Who sent it, unless it is anonymous; known once the people are identified. */
  reporter?: Person & { lastTeam: string | null };
}

const SIMILAR_OFFERS = 3;
/** How far back "looks similar" looks: the oldest open reports, as many as this. */
const SIMILAR_SCAN = 200;
const MAX_GROUP = 64;
const USUAL_TEAM_TTL_MS = 30_000;
const USUAL_TEAMS_KEPT = 10_000;
const DAY = 24 * 3600 * 1000;

export class FrictionIntake {
  private readonly group = new GroupCommit<Submission, SubmitResult>((items) => this.commit(items), MAX_GROUP);
  /**
   * People's usual teams as the form last read them, so a `/friction` burst opens its forms without a database read
   * each. A few seconds' staleness only changes which team is preselected; the submission is checked again in full.
   */
  private readonly usualTeams = new RecentMap<string, { team: string | null; at: number }>(USUAL_TEAMS_KEPT);

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: FrictionSettings,
    private readonly newToken: () => string,
  ) {}

  /** What the form offers: the organisation's teams, and this person's usual team. Creates nobody. */
  async formDefaults(actor: PersonRef): Promise<{ teams: string[]; team?: string }> {
    return this.store.read(async (repos) => {
      const teams = await repos.teams.names();
      const key = personKey(actor);
      let usual = this.usualTeams.get(key);
      if (!usual || Date.now() - usual.at > USUAL_TEAM_TTL_MS) {
        usual = { team: (await repos.people.find(actor))?.lastTeam ?? null, at: Date.now() };
        this.usualTeams.set(key, usual);
      }
      return usual.team ? { teams, team: usual.team } : { teams };
    });
  }

  /**
   * Stores a report, or says what to fix in the form. The same submission twice (a retry, a double click) finds the
   * first report. An anonymous report is stored with no trace of who sent it.
   */
  submit(request: FrictionRequest, raw: Record<string, unknown>): Promise<SubmitResult> {
    return this.group.run({ request, raw });
  }

  /**
   * One group in one transaction. If it fails (a database hiccup, or another replica storing the same submission at
   * the same moment), each submission is tried again on its own, so one cannot fail the others.
   */
  private async commit(items: Submission[]): Promise<Outcome<SubmitResult>[]> {
    try {
      return (await this.storeCommitted(items)).map((value) => ({ value }));
    } catch (error) {
      if (items.length === 1 && error instanceof CoeError) return [{ error }];
    }
    const outcomes: Outcome<SubmitResult>[] = [];
    for (const item of items) {
      try {
        const [value] = await this.storeCommitted([item]);
        outcomes.push({ value: value as SubmitResult });
      } catch (error) {
        outcomes.push({ error });
      }
    }
    return outcomes;
  }

  private async storeCommitted(items: Submission[]): Promise<SubmitResult[]> {
    const usual = new Map<string, string>();
    const results = await this.store.transaction((repos) => {
      usual.clear();
      return this.storeGroup(repos, items, usual);
    });
    // Committed: the team each named reporter chose is their usual one now.
    const at = Date.now();
    for (const [key, team] of usual) this.usualTeams.set(key, { team, at });
    return results;
  }

  // No `once` here: a failed validation must not use up the key (the person fixes the form and submits again); the
  // report's unique submission key catches a repeat instead, when it is stored.
  private async storeGroup(
    repos: Repositories,
    items: Submission[],
    usual: Map<string, string>,
  ): Promise<SubmitResult[]> {
    const results: (SubmitResult | undefined)[] = items.map(() => undefined);
    const teams = await repos.teams.names();
    const accepted: Accepted[] = [];
    const firstOfKey = new Map<string, number>();
    for (const [index, submission] of items.entries()) {
      const key = submission.request.key;
      if (firstOfKey.has(key)) continue;
      const checked = validateFriction(submission.raw, teams);
      if (!checked.ok) results[index] = checked;
      else {
        firstOfKey.set(key, index);
        accepted.push({ index, submission, input: checked.value });
      }
    }
    const channels = await reviewChannels(repos);
    const { stored, open } = await this.create(repos, accepted, channels, usual);
    return items.map((item, index) => {
      const report = stored.get(item.request.key);
      const result = results[index] ?? (report && this.confirmation(report, open, channels.size > 0));
      // Another replica storing the same submission at this very moment: the retry on its own finds its report.
      if (!result) throw new Error(`friction intake: submission ${item.request.key} has no outcome`);
      return result;
    });
  }

  /**
   * Stores the accepted submissions that are new, with their review messages and any recurring-pattern alert they
   * raise: one read (who sent them too) and one write for the group. Returns every accepted submission's report by
   * key (made now or before), and the open reports a "looks similar" offer may name.
   */
  private async create(
    repos: Repositories,
    accepted: Accepted[],
    channels: Map<Platform, string>,
    usual: Map<string, string>,
  ): Promise<{ stored: Map<string, FrictionReport>; open: Summary[] }> {
    if (accepted.length === 0) return { stored: new Map(), open: [] };
    const named = accepted.filter((a) => !a.input.anonymous);
    const reporters = named.map((a) => a.submission.request.actor);
    const likes = accepted.map((a) => likeness(a.input));
    // Only the open reports that share a tool or a title word with this group's come back: the others cannot look
    // alike (`alike` needs one or the other).
    const survey = await repos.intake.survey({
      keys: accepted.map((a) => a.submission.request.key),
      scan: SIMILAR_SCAN + accepted.length,
      near: {
        toolKeys: [...new Set(likes.map((l) => l.toolKey))],
        words: [...new Set(likes.flatMap((l) => [...l.words]))],
      },
      patterns: { toolKeys: likes.map((l) => l.toolKey), since: this.windowStart() },
      people: reporters,
    });
    // Those the survey found are not read again: only the people met for the first time cost a statement.
    const people = await repos.people.identifyMany(reporters, { known: survey.known });
    for (const [i, a] of named.entries()) a.reporter = people[i];
    const now = this.clock.now();
    const fresh = accepted.flatMap((a, i) => {
      const number = survey.numbers.get(a.submission.request.key);
      return number === undefined ? [] : [{ ...a, row: this.newRow(a, likes[i] as Likeness, number, now) }];
    });
    const patterns = this.recurring(
      survey.recent,
      fresh.map((f) => f.row),
    );
    const createdAt = await repos.intake.store({
      reports: fresh.map((f) => f.row),
      event: { action: 'friction.submitted', to: 'new' },
      posts: this.posts(fresh, patterns, channels, now),
      teams: this.usualTeamsChosen(fresh, usual),
      patterns,
    });
    const stored = new Map(survey.before);
    for (const { row } of fresh)
      stored.set(row.submissionKey, freshReport(row, createdAt.get(row.submissionKey) ?? now));
    // The group's own reports among the open ones: one may look like another of the same group, stored before it.
    const open = [...survey.open, ...fresh.map(({ row }) => ({ ...row, plusOnes: 0 }))]
      .sort((a, b) => a.number - b.number)
      .map(({ number, title, tool, plusOnes, toolKey, titleWords }) => {
        const summary = { number, title, tool, plusOnes, toolKey, titleWords };
        return { ...summary, likeness: keptLikeness(summary) };
      });
    return { stored, open };
  }

  /** Each new report's review message, then each alert, to every review channel. */
  private posts(
    fresh: readonly Fresh[],
    patterns: readonly { toolKey: string; tool: string; reports: number[] }[],
    channels: Map<Platform, string>,
    now: Date,
  ): OutboundMessage[] {
    const reviews = fresh.flatMap(({ row, reporter }) => {
      const view = { ...freshReport(row, now), anonymous: row.reporterPersonId === null, ownerName: null };
      const body = reviewMessage({ ...view, reporterName: reporter?.displayName ?? null });
      return toChannels(channels, body, (platform) => reviewKey(frictionId(row.number), platform));
    });
    const days = this.settings.recurrenceWindowDays;
    const alerts = patterns.flatMap(({ toolKey, tool, reports }) =>
      toChannels(
        channels,
        recurringPatternMessage(tool, reports, days),
        (platform) => `pattern:${toolKey}:${reports.at(-1)}:${platform}`,
      ),
    );
    return [...reviews, ...alerts];
  }

  private newRow(
    { submission, input, reporter }: Accepted,
    { toolKey, words }: Likeness,
    number: number,
    now: Date,
  ): Fresh['row'] {
    return {
      number,
      kind: input.kind,
      title: input.title,
      description: input.description,
      team: input.team ?? null,
      tool: input.tool,
      toolKey,
      titleWords: [...words],
      frequency: input.frequency,
      impact: input.impact,
      relatedSop: input.relatedSop ?? null,
      sourceLink: input.sourceLink ?? null,
      reporterPersonId: reporter?.id ?? null,
      submissionKey: submission.request.key,
      claimToken: this.newToken(),
      statusChangedAt: now,
    };
  }

  /** Where the recurring-pattern window starts: N reports about one tool since then raise an alert. */
  private windowStart(): Date {
    return new Date(this.clock.now().getTime() - this.settings.recurrenceWindowDays * DAY);
  }

  /**
   * The alerts these new reports raise: a tool with no alert in the window whose reports in it, with these, reach the
   * threshold. One alert per tool, naming its newest report's tool as written.
   */
  private recurring(
    recent: Map<string, number[]>,
    reports: readonly { number: number; tool: string; toolKey: string }[],
  ): { toolKey: string; tool: string; reports: number[] }[] {
    const due = [];
    for (const [toolKey, earlier] of recent) {
      const mine = reports.filter((r) => r.toolKey === toolKey);
      const last = mine.at(-1);
      const numbers = [...earlier, ...mine.map((r) => r.number)].sort((a, b) => a - b);
      if (last && numbers.length >= this.settings.recurrenceThreshold)
        due.push({ toolKey, tool: last.tool, reports: numbers });
    }
    return due;
  }

  /**
   * The team each named reporter chose becomes their usual one (an anonymous report names nobody's): the changes to
   * write, and in `usual` every choice, to keep once the group is committed.
   */
  private usualTeamsChosen(
    fresh: readonly Accepted[],
    usual: Map<string, string>,
  ): { personId: number; team: string }[] {
    const chosen = new Map<number, { team: string; was: string | null }>();
    for (const { reporter, input, submission } of fresh) {
      if (!reporter || !input.team) continue;
      chosen.set(reporter.id, { team: input.team, was: reporter.lastTeam });
      usual.set(personKey(submission.request.actor), input.team);
    }
    return [...chosen].filter(([, { team, was }]) => team !== was).map(([personId, { team }]) => ({ personId, team }));
  }

  private confirmation(report: FrictionReport, open: Summary[], reviewChannel: boolean): SubmitResult {
    const mine = likeness(report);
    // The newest alike reports older than this one, among the first SIMILAR_SCAN open reports other than it (`open` is
    // in number order: the older ones come first, so this one never shifts them).
    const similar: OpenReportSummary[] = [];
    let end = open.findIndex((other) => other.number >= report.number);
    end = Math.min(SIMILAR_SCAN, end === -1 ? open.length : end);
    for (let i = end - 1; i >= 0 && similar.length < SIMILAR_OFFERS; i--) {
      const other = open[i] as (typeof open)[number];
      if (alike(mine, other.likeness)) similar.push(other);
    }
    return {
      ok: true,
      number: report.number,
      confirmation: confirmationMessage(
        { number: report.number, title: report.title, anonymous: report.reporterPersonId === null },
        // Only a report that is still new can be folded into another.
        report.status === 'new' ? similar : [],
        { claimToken: report.claimToken, reviewChannel },
      ),
    };
  }
}

const personKey = (actor: PersonRef) => `${actor.platform}:${actor.externalId}`;

type Summary = OpenReportSummary & { likeness: Likeness };

/** One post of `body` to each review channel, keyed by platform. */
function toChannels(
  channels: Map<Platform, string>,
  body: Message,
  key: (platform: Platform) => string,
): OutboundMessage[] {
  return [...channels].map(([platform, channelId]) => ({
    key: key(platform),
    platform,
    target: { kind: 'channel' as const, channelId },
    body,
  }));
}
