/**
 * The scorecard returns to the CoE (seed §4 "Metrics return to CoE for review", §9), for both platforms:
 * `metrics [30d|90d|quarter] [team]` answers privately. CoE members and executives see the organisation (or any team);
 * managers see the teams they manage; workers see no metrics (DOMAIN.md). Every figure is about the organisation, a
 * team, a tool or a standard, never a person, and a team smaller than the minimum group shows no figures of its own.
 */
import { isActive } from '../domain/constraint.ts';
import { constraintReportMessage } from '../domain/constraint-report.ts';
import { CoeError } from '../domain/errors.ts';
import { coeCommand, type Message } from '../domain/message.ts';
import {
  DEFAULT_WINDOW,
  hideTeamFigures,
  metricsWindows,
  type Scorecard,
  scorecard,
  type WindowName,
} from '../domain/metrics.ts';
import { exportFilename, metricsCsv } from '../domain/metrics-export.ts';
import type { ConstraintServing, MetricsScope } from '../domain/metrics-facts.ts';
import { digestMessage, scorecardMessage, scorecardSummary } from '../domain/metrics-messages.ts';
import { may, type Person, type PersonRef } from '../domain/people.ts';
import type { MetricsSource } from '../ports/metrics.ts';
import type { Clock, Store, TeamSummary } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';
import { reviewChannels } from './review-thread.ts';

export interface MetricsSettings {
  /** `METRICS_MIN_GROUP`: no team-level figure about fewer people. */
  minGroup: number;
}

export interface MetricsQuery {
  view?: 'constraints' | 'export';
  window?: WindowName;
  team?: string;
}

const DAY = 86_400_000;

/** The export as a file: its name, its text, a title, and how many teams it has rows for. */
export interface MetricsExport {
  filename: string;
  csv: string;
  title: string;
  teams: number;
}

export class MetricsService {
  constructor(
    private readonly store: Store,
    private readonly source: MetricsSource,
    private readonly clock: Clock,
    private readonly settings: MetricsSettings,
  ) {}

  /** `metrics [window] [team]`, `metrics constraints`: what this person may see, as a message. */
  async show(request: CoeRequest, query: MetricsQuery): Promise<Message> {
    if (query.view === 'constraints') return this.constraints(request);
    return scorecardMessage(await this.scorecardFor(request, query));
  }

  /**
   * `metrics export [window]`: every team's row as CSV, for CoE members and executives (a manager's view is their own
   * teams', in `metrics`). The same minimum group applies as on every screen.
   */
  async export(request: CoeRequest, window: WindowName = DEFAULT_WINDOW): Promise<MetricsExport> {
    const person = await this.store.read((repos) => repos.people.find(request.actor));
    if (!person || (person.layer !== 'executive' && person.layer !== 'coe')) {
      throw new CoeError(
        'PERMISSION.DENIED',
        `The export of every team is for the CoE and executives. Managers see their teams with ${coeCommand('metrics')}.`,
      );
    }
    const { current, label } = metricsWindows(window, this.clock.now());
    const rows = await this.source.teamRows(current);
    return {
      filename: exportFilename(current.from, current.to),
      csv: metricsCsv(rows, this.settings.minGroup),
      title: `CoE metrics per team, ${label}`,
      teams: rows.length,
    };
  }

  /**
   * The scorecard's summary at home (App Home, `my reports`): the organisation's for CoE members and executives, a
   * manager's first team's training and adoption; nothing for workers, nor for a manager of no team yet.
   */
  async summary(actor: PersonRef): Promise<Message | undefined> {
    try {
      const person = await this.store.read((repos) => repos.people.find(actor));
      if (!person || !may(person.layer, 'seeMetrics')) return undefined;
      const card = await this.scorecardFor({ actor, key: 'home' }, {});
      return scorecardSummary(card, person.layer === 'manager' ? 'team' : 'organisation');
    } catch (error) {
      if (error instanceof CoeError) return undefined;
      throw error;
    }
  }

  /** `metrics constraints`: each constraint of the last 90 days and what serves it; executives and the CoE. */
  async constraints(request: CoeRequest): Promise<Message> {
    const person = await this.store.read((repos) => repos.people.find(request.actor));
    if (!person || (person.layer !== 'executive' && person.layer !== 'coe')) {
      throw new CoeError(
        'PERMISSION.DENIED',
        `Executives and the CoE follow executive direction here. See the constraints with ${coeCommand('constraint list')}.`,
      );
    }
    const now = this.clock.now();
    return constraintReportMessage(await this.source.constraintServing(new Date(now.getTime() - 90 * DAY)), now);
  }

  /**
   * The monthly summary (job `constraint-summary`): each executive who set a constraint still active gets one direct
   * message about theirs, keyed by the fire time so replicas and retries send it once.
   */
  async constraintSummaries(fireTime: Date): Promise<string> {
    const now = this.clock.now();
    const active = (await this.source.constraintServing(now)).filter((c) => isActive(c, now));
    const bySetter = new Map<number, ConstraintServing[]>();
    for (const c of active) bySetter.set(c.createdByPersonId, [...(bySetter.get(c.createdByPersonId) ?? []), c]);
    return this.store.transaction(async (repos) => {
      let sent = 0;
      for (const [personId, theirs] of bySetter) {
        const [identity] = await repos.people.identitiesOf(personId);
        if (!identity) continue;
        await repos.outbox.enqueue({
          key: `constraint-summary:${fireTime.toISOString()}:${personId}`,
          platform: identity.platform,
          target: { kind: 'dm', externalId: identity.externalId },
          body: constraintReportMessage(theirs, now, 'Your direction this month: the changes serving it'),
        });
        sent++;
      }
      return `${sent} ${sent === 1 ? 'executive' : 'executives'} told`;
    });
  }

  /** The scorecard this person may see: the organisation's, or one team's. */
  async scorecardFor(request: CoeRequest, query: MetricsQuery): Promise<Scorecard> {
    const { person, teams } = await this.store.read(async (repos) => ({
      person: await repos.people.find(request.actor),
      teams: await repos.teams.list(),
    }));
    if (!person || !may(person.layer, 'seeMetrics')) {
      throw new CoeError(
        'PERMISSION.DENIED',
        `Metrics are for managers, executives and the CoE, and only ever about teams. Follow your own reports with ${coeCommand('my reports')}.`,
      );
    }
    const scope = this.scopeFor(person, teams, query.team);
    return this.compute(scope, query.window ?? DEFAULT_WINDOW);
  }

  /**
   * The weekly digest (job `metrics-digest`): the organisation's scorecard in the CoE review channel of each platform.
   * Keyed by the fire time, so however many replicas run the job, each channel gets it once a week.
   */
  async digest(fireTime: Date): Promise<string> {
    const body = digestMessage(await this.compute({ kind: 'organisation' }, DEFAULT_WINDOW));
    return this.store.transaction(async (repos) => {
      const channels = await reviewChannels(repos);
      for (const [platform, channelId] of channels) {
        await repos.outbox.enqueue({
          key: `metrics-digest:${fireTime.toISOString()}:${platform}`,
          platform,
          target: { kind: 'channel', channelId },
          body,
        });
      }
      return channels.size > 0 ? `digest posted in ${[...channels.keys()].join(' and ')}` : 'no review channel yet';
    });
  }

  private async compute(scope: MetricsScope, window: WindowName): Promise<Scorecard> {
    const windows = metricsWindows(window, this.clock.now());
    const now = await this.source.scorecard(windows.current, scope);
    const before = await this.source.scorecard(windows.previous, scope);
    const card = scorecard(windows, scope, now, before, this.settings.minGroup);
    if (scope.kind === 'organisation') return card;
    const size = (await this.source.teamSizes()).get(scope.teamId)?.members ?? 0;
    return size < this.settings.minGroup ? hideTeamFigures(card) : card;
  }

  private scopeFor(person: Person, teams: readonly TeamSummary[], named: string | undefined): MetricsScope {
    const seesAll = person.layer === 'coe' || person.layer === 'executive';
    const managed = teams.filter((t) => t.managers.includes(person.id));
    if (named === undefined) {
      if (seesAll) return { kind: 'organisation' };
      const [first] = managed;
      if (!first) {
        throw new CoeError(
          'PERMISSION.DENIED',
          'Managers see the metrics of the teams they manage, and you manage none yet. The CoE adds managers to teams.',
        );
      }
      return { kind: 'team', teamId: first.id, teamName: first.name };
    }
    const team = teams.find((t) => t.name.toLowerCase() === named.toLowerCase());
    if (!team) {
      throw new CoeError('NOT_FOUND', `There is no team "${named}". See the teams with ${coeCommand('team list')}.`);
    }
    if (!seesAll && !managed.some((t) => t.id === team.id)) {
      throw new CoeError(
        'PERMISSION.DENIED',
        `Managers see the metrics of the teams they manage, and ${team.name} is not one of yours.`,
      );
    }
    return { kind: 'team', teamId: team.id, teamName: team.name };
  }
}
