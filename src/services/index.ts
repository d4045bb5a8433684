/**
 * The core's services wired to each other, on a store and a clock: what the composition root (src/app.ts) hands to
 * both platforms, and what unit tests build on in-memory fakes.
 */

import type { WorkCalendar } from '../domain/calendar.ts';
import type { MetricsSource } from '../ports/metrics.ts';
import type { Clock, Store } from '../ports.ts';
import { AuditService, type ScheduleRules } from './audit.ts';
import { AuditLifecycleService } from './audit-lifecycle.ts';
import { ChangeService } from './change.ts';
import { CoeAdminService } from './coe-admin.ts';
import { CoeCommands } from './commands.ts';
import { ConstraintEndService } from './constraint-end.ts';
import { FrictionService, type FrictionSettings } from './friction.ts';
import { type JobBoard, JobsService } from './jobs.ts';
import { MetricsService, type MetricsSettings } from './metrics.ts';
import { PeopleService } from './people.ts';
import { ReachService } from './reach.ts';
import { ReleaseService } from './release.ts';
import { SopRetireService } from './sop-retire.ts';
import { SopSearchService } from './sop-search.ts';
import { SopTextService } from './sop-text.ts';
import { StaleNudgeService } from './stale-nudges.ts';
import { StandardsService } from './standards.ts';
import { TeamLifecycleService } from './team-lifecycle.ts';
import { TrainingService } from './training.ts';
import { TrainingLifecycleService } from './training-lifecycle.ts';

export interface CoreSettings {
  friction: FrictionSettings;
  change: { quorum: number };
  calendar: WorkCalendar;
  training: { maxReminders: number };
  stale: { triageDays: number; progressDays: number };
  metrics: MetricsSettings;
}

export interface CoreParts {
  /** A fresh unguessable token (friction claim tokens). */
  newToken: () => string;
  jobs: JobBoard;
  /** The scorecard's facts, aggregated where the data lives. */
  metricsSource: MetricsSource;
  schedules: ScheduleRules;
  /** Audit plans were added or changed: the scheduler should look again. */
  onAuditPlansChanged?: () => void;
  log: { error(obj: object, msg: string): void };
}

export type Services = ReturnType<typeof createServices>;

export function createServices(store: Store, clock: Clock, settings: CoreSettings, parts: CoreParts) {
  const admin = new CoeAdminService(store);
  const people = new PeopleService(store);
  const reach = new ReachService(store, parts.log);
  const friction = new FrictionService(store, clock, settings.friction, parts.newToken);
  const changes = new ChangeService(store, clock, settings.change, friction);
  const standards = new StandardsService(store, clock);
  const releases = new ReleaseService(store, clock, friction, changes, parts.log);
  const trainings = new TrainingService(store, clock, {
    calendar: settings.calendar,
    maxReminders: settings.training.maxReminders,
    minGroup: settings.metrics.minGroup,
  });
  const audits = new AuditService(store, clock, changes, parts.schedules, parts.onAuditPlansChanged);
  const auditLifecycle = new AuditLifecycleService(store, clock, parts.schedules, parts.onAuditPlansChanged);
  const trainingLifecycle = new TrainingLifecycleService(store, clock, { calendar: settings.calendar });
  const sopRetire = new SopRetireService(store, clock, auditLifecycle);
  const constraintEnd = new ConstraintEndService(store, clock);
  const teamLifecycle = new TeamLifecycleService(store, clock);
  const nudges = new StaleNudgeService(store, clock, { ...settings.stale, calendar: settings.calendar });
  const jobs = new JobsService(store, parts.jobs);
  const metrics = new MetricsService(store, parts.metricsSource, clock, settings.metrics);
  const sopTexts = new SopTextService(store, standards);
  const sopSearch = new SopSearchService(store, clock);
  standards.addSopSection(trainings.sopSection);
  standards.addSopSection(audits.sopSection);
  // The services that end or change a record's life (issue 12): pause, stop, cancel, retire, end, archive.
  const lifecycles = { auditLifecycle, trainingLifecycle, sopRetire, constraintEnd, teamLifecycle };
  const commands = new CoeCommands({
    admin,
    friction,
    changes,
    standards,
    trainings,
    audits,
    jobs,
    metrics,
    sopTexts,
    sopSearch,
    ...lifecycles,
  });
  const core = {
    admin,
    people,
    reach,
    friction,
    changes,
    standards,
    releases,
    trainings,
    audits,
    nudges,
    jobs,
    metrics,
  };
  return { ...core, commands, sopTexts, sopSearch, ...lifecycles };
}
