/**
 * Routes a parsed `/coe` command (Slack) or bot command (Teams) to the service that answers it.
 */
import { parseChangeId } from '../domain/change.ts';
import { changeListMessage } from '../domain/change-messages.ts';
import type { CoeCommand } from '../domain/coe-command.ts';
import { CoeError } from '../domain/errors.ts';
import { parseFrictionId } from '../domain/friction.ts';
import { coeCommand, type Message } from '../domain/message.ts';
import { exportMessage } from '../domain/metrics-export.ts';
import type { PersonRef } from '../domain/people.ts';
import type { AuditService } from './audit.ts';
import type { AuditLifecycleService } from './audit-lifecycle.ts';
import type { ChangeService } from './change.ts';
import type { CoeAdminService, CoeRequest } from './coe-admin.ts';
import type { ConstraintEndService } from './constraint-end.ts';
import type { FrictionService } from './friction.ts';
import type { JobsService } from './jobs.ts';
import type { MetricsService } from './metrics.ts';
import type { SopRetireService } from './sop-retire.ts';
import type { SopSearchService } from './sop-search.ts';
import type { SopTextService } from './sop-text.ts';
import type { StandardsService } from './standards.ts';
import type { TeamLifecycleService } from './team-lifecycle.ts';
import type { TrainingService } from './training.ts';
import type { TrainingLifecycleService } from './training-lifecycle.ts';

export interface CommandServices {
  admin: CoeAdminService;
  friction: FrictionService;
  changes: ChangeService;
  standards: StandardsService;
  trainings: TrainingService;
  audits: AuditService;
  jobs: JobsService;
  auditLifecycle: AuditLifecycleService;
  trainingLifecycle: TrainingLifecycleService;
  sopRetire: SopRetireService;
  constraintEnd: ConstraintEndService;
  teamLifecycle: TeamLifecycleService;
  metrics: MetricsService;
  sopTexts: SopTextService;
  sopSearch: SopSearchService;
}

/** Commands that open a form: each platform opens it before a command reaches this router. */
const FORMS = {
  release: 'release',
  trainingAssign: 'training assign',
  auditPlan: 'audit plan',
  auditChange: 'audit change',
  sopForm: 'sop new',
} as const;

export class CoeCommands {
  constructor(private readonly services: CommandServices) {}

  async handle(request: CoeRequest, command: CoeCommand): Promise<Message> {
    const { admin, friction, changes, standards } = this.services;
    switch (command.kind) {
      case 'status':
        return this.status(command.id);
      case 'myReports':
        return this.myReports(request);
      case 'triageQueue':
        return friction.triageQueue(request.actor);
      case 'metrics':
        // Slack sends the export as a file, Teams as a download link, before a command gets here; where neither can
        // (Teams without a public address), it is shown as lines to copy.
        return command.view === 'export'
          ? exportMessage(await this.services.metrics.export(request, command.window))
          : this.services.metrics.show(request, command);
      case 'constraintAdd':
        return standards.addConstraint(request, command.constraint);
      case 'constraintList':
        return standards.listConstraints();
      case 'constraintEnd':
        return this.services.constraintEnd.end(request, command.id);
      case 'teamRename':
        return this.services.teamLifecycle.rename(request, command.name, command.to);
      case 'teamArchive':
        return this.services.teamLifecycle.archive(request, command.name);
      case 'teamMemberRemove':
        return this.services.teamLifecycle.removeMember(request, command.person, command.name);
      case 'sopNew':
        return standards.registerSop(request, command.key, command.title);
      case 'sopShow':
        return command.version
          ? this.services.sopTexts.show(command.key, command.version)
          : standards.showSop(command.key);
      case 'sopDiff':
        return this.services.sopTexts.diff(command.key, command.from, command.to);
      case 'sopList':
        return standards.listSops();
      case 'sopFind':
        return this.services.sopSearch.find(request, command.words);
      case 'ai':
        return standards.aiRule(request.actor, command.tool);
      case 'withdraw':
        return changes.withdraw(request, command.id);
      case 'trainingMine':
        return this.services.trainings.mine(request.actor);
      case 'trainingStatus':
        return this.services.trainings.status(command.id);
      case 'auditList':
        return this.services.audits.list();
      case 'auditRun':
        return this.services.audits.runNow(request, command.id);
      case 'auditPause':
        return this.services.auditLifecycle.pause(request, command.id);
      case 'auditResume':
        return this.services.auditLifecycle.resume(request, command.id);
      case 'auditStop':
        return this.services.auditLifecycle.stop(request, command.id);
      case 'trainingCancel':
        return this.services.trainingLifecycle.cancel(request, command.id);
      case 'trainingDue':
        return this.services.trainingLifecycle.moveDue(request, command.id, command.dueOn);
      case 'sopRetire':
        return this.services.sopRetire.retire(request, command.key);
      case 'jobs':
        return this.services.jobs.status(request.actor);
      case 'release':
      case 'trainingAssign':
      case 'auditPlan':
      case 'auditChange':
      case 'sopForm':
        // A form: the platform opens it before a command gets here. Say how, rather than nothing.
        throw new CoeError(
          'SETUP.WRONG_PLACE',
          `That opens a form: send ${coeCommand(`${FORMS[command.kind]}${command.kind === 'auditChange' ? ` ${command.id}` : ''}`)} again.`,
        );
      default:
        return admin.handle(request, command);
    }
  }

  /** `status FR-12`, `status CR-7`: a friction report or a change request, whichever the id names. */
  private status(id: string): Promise<Message> {
    if (/^\s*cr-?\d/i.test(id) && parseChangeId(id) !== undefined) return this.services.changes.status(id);
    if (parseFrictionId(id) !== undefined) return this.services.friction.status(id);
    throw new CoeError('INPUT.INVALID', `Give an id like FR-12 or CR-7: ${coeCommand('status FR-12')}.`);
  }

  /**
   * What a person follows, as sections (the Slack App Home shows them one under the other): their reports, their
   * change requests when they raised any, and for CoE members the triage queue.
   */
  async overview(actor: PersonRef): Promise<Message[]> {
    const { friction, changes } = this.services;
    const sections = [await friction.myReports(actor)];
    const mine = await changes.mine(actor);
    if (mine.length > 0) sections.push(changeListMessage('My change requests', mine));
    if (await friction.isCoe(actor)) sections.push(await friction.triageQueue(actor));
    const scorecard = await this.services.metrics.summary(actor);
    if (scorecard) sections.push(scorecard);
    return sections;
  }

  /** `my reports`: the overview in one message. */
  private async myReports(request: CoeRequest): Promise<Message> {
    const sections = await this.overview(request.actor);
    return {
      text: sections.map((s) => s.text).join(' '),
      blocks: sections.flatMap((s, i) => (i === 0 ? s.blocks : [{ type: 'divider' as const }, ...s.blocks])),
    };
  }
}
