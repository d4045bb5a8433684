/**
 * The Teams side: a botbuilder activity handler whose messages call the same core services as Slack's listeners.
 * In Teams the `/coe` words are said to the bot: `help`, `friction …`, `change request …`, `release`, `status FR-12`,
 * `setup review-channel`, `role @person coe`, `training assign`, `audit plan`. Card buttons, dialogs (task modules)
 * and the "Report friction" message action arrive here too and are routed by their card action: friction ones to
 * `friction.ts`, change requests to `changes.ts`, releases to `releases.ts`, training to `trainings.ts`, audits to
 * `audits.ts`, nudges to `nudges.ts`, standards' texts (`sop new`, "Show more") to `sops.ts`, searches to `search.ts`.
 */
import {
  type Activity,
  type ConversationReference,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  StatusCodes,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { parseCoeCommand } from '../../domain/coe-command.ts';
import { type Message, message } from '../../domain/message.ts';
import type { PersonRef } from '../../domain/people.ts';
import type { AddressBook } from '../../ports.ts';
import { answer, type ErrorSink } from '../../services/answer.ts';
import type { AuditService } from '../../services/audit.ts';
import type { AuditLifecycleService } from '../../services/audit-lifecycle.ts';
import type { ChangeService } from '../../services/change.ts';
import type { CoeCommands } from '../../services/commands.ts';
import type { FrictionService } from '../../services/friction.ts';
import type { PeopleService } from '../../services/people.ts';
import type { ReleaseService } from '../../services/release.ts';
import type { SopSearchService } from '../../services/sop-search.ts';
import type { SopTextService } from '../../services/sop-text.ts';
import type { StaleNudgeService } from '../../services/stale-nudges.ts';
import type { TrainingService } from '../../services/training.ts';
import { actorOf, channelIdOf, externalIdOf, interactionKey, whereSaid } from './activity.ts';
import { TeamsAudit } from './audits.ts';
import { invokeNotice, taskMessage } from './cards/task-module.ts';
import { cardActivity } from './cards.ts';
import { TeamsChange } from './changes.ts';
import { TeamsFriction } from './friction.ts';
import {
  CARD_ACTIONS,
  CHANGE_DECISION_FORMS,
  CHANGE_REQUEST_COMMAND,
  DECISION_FORMS,
  FRICTION_COMMAND,
  MESSAGE_ACTIONS,
} from './ids.ts';
import { extractMentions } from './mentions.ts';
import { snoozeNudge } from './nudges.ts';
import { TeamsRelease } from './releases.ts';
import { learnWho, rememberSender } from './roster.ts';
import { TeamsSearch } from './search.ts';
import type { TeamsSender } from './sender.ts';
import { TeamsSop } from './sops.ts';
import { TeamsTraining } from './trainings.ts';

export { channelIdOf } from './activity.ts';

export interface TeamsServices {
  commands: Pick<CoeCommands, 'handle'>;
  friction: FrictionService;
  changes: ChangeService;
  releases: ReleaseService;
  trainings: TrainingService;
  audits: AuditService;
  auditLifecycle: AuditLifecycleService;
  nudges: StaleNudgeService;
  people: PeopleService;
  sopTexts: SopTextService;
  sopSearch: SopSearchService;
  addresses: AddressBook;
  /** Reaches a person in their personal chat, for answers that must stay private. */
  sender: Pick<TeamsSender, 'sendToPerson'>;
}

const MAX_TEXT = 4000;

/** A form's command said to the bot: the rest of the words pre-fill the form. */
const formWords = (command: string) => new RegExp(`^${command.replace(/ /g, '[-\\s]+')}(?:\\s+([\\s\\S]*))?$`, 'i');
const FRICTION_WORDS = formWords(FRICTION_COMMAND);
/** `change request …`, and `change-request …` as the Slack command is spelled. */
const CHANGE_REQUEST_WORDS = formWords(CHANGE_REQUEST_COMMAND);

/** What every card button (Action.Submit) carries back: which action, plus that action's own fields. */
const cardAction = z.looseObject({ coeAction: z.string().max(100) });

const UNKNOWN_BUTTON = 'That button is out of date. Nothing was changed.';
const SORRY = 'Sorry, something went wrong on our side. Please try again in a minute.';

/** A dialog invoke's handler (task/fetch or task/submit). */
interface DialogRoute {
  run(activity: Activity, data: unknown): Promise<TaskModuleResponse>;
  /** Whether to keep the person's address first; never where they may be about to report anonymously. */
  remember: boolean;
}

/** A plain card button's handler: the outcome, told to the presser privately. */
type ButtonRoute = (activity: Activity, data: unknown) => Promise<Message>;

const named = (run: DialogRoute['run']): DialogRoute => ({ run, remember: true });

export class TeamsBot extends TeamsActivityHandler {
  private readonly friction: TeamsFriction;
  private readonly changes: TeamsChange;
  private readonly releases: TeamsRelease;
  private readonly trainings: TeamsTraining;
  private readonly audits: TeamsAudit;
  private readonly sops: TeamsSop;
  private readonly search: TeamsSearch;
  /** By card action. Maps, not objects: a button's data must not reach `constructor` or `__proto__`. */
  private readonly buttons: Map<string, ButtonRoute>;
  private readonly fetches: Map<string, DialogRoute>;
  private readonly submits: Map<string, DialogRoute>;

  constructor(
    private readonly services: TeamsServices,
    private readonly log: ErrorSink,
  ) {
    super();
    const friction = new TeamsFriction(services.friction, log);
    const changes = new TeamsChange(services.changes, log);
    const releases = new TeamsRelease(services.releases, log);
    const trainings = new TeamsTraining(services.trainings, log);
    const audits = new TeamsAudit(services.audits, log, services.auditLifecycle);
    this.friction = friction;
    this.changes = changes;
    this.releases = releases;
    this.trainings = trainings;
    this.audits = audits;
    const sops = new TeamsSop(services.sopTexts, log);
    this.sops = sops;
    this.search = new TeamsSearch(services.sopSearch, log);
    this.buttons = new Map<string, ButtonRoute>([
      [CARD_ACTIONS.triage, (a, d) => friction.triage(a, d)],
      [CARD_ACTIONS.approve, (a, d) => changes.approve(a, d)],
      [CARD_ACTIONS.deployed, (a, d) => releases.deployed(a, d)],
      [CARD_ACTIONS.completeTraining, (a, d) => trainings.complete(a, d)],
      [CARD_ACTIONS.snoozeTraining, (a, d) => trainings.snooze(a, d)],
      [CARD_ACTIONS.snoozeNudge, (a, d) => snoozeNudge(services.nudges, a, d)],
      [CARD_ACTIONS.sopMore, (a, d) => sops.more(a, d)],
    ]);
    const frictionDecisions = Object.entries(DECISION_FORMS);
    const changeDecisions = Object.entries(CHANGE_DECISION_FORMS);
    this.fetches = new Map<string, DialogRoute>([
      // Opening the form leaves no trace of the person: they may be about to report anonymously.
      [CARD_ACTIONS.openFrictionForm, { run: (a, d) => friction.openForm(a, d), remember: false }],
      [CARD_ACTIONS.openChangeForm, named((a, d) => changes.openForm(a, d))],
      [CARD_ACTIONS.revise, named((a, d) => changes.openRevision(a, d))],
      [CARD_ACTIONS.openReleaseForm, named((a, d) => releases.openForm(a, d))],
      [CARD_ACTIONS.openTrainingForm, named((a) => trainings.openForm(a))],
      [CARD_ACTIONS.openAuditForm, named((a) => audits.openForm(a))],
      [CARD_ACTIONS.openAuditChange, named((a, d) => audits.openChangeForm(a, d))],
      [CARD_ACTIONS.recordAudit, named((a, d) => audits.openResults(a, d))],
      [CARD_ACTIONS.openSopForm, named((a, d) => sops.openForm(a, d))],
      ...frictionDecisions.map(
        ([action, decision]) => [action, named((a, d) => friction.openDecision(a, decision, d))] as const,
      ),
      ...changeDecisions.map(
        ([action, decision]) => [action, named((a, d) => changes.openDecision(a, decision, d))] as const,
      ),
    ]);
    this.submits = new Map<string, DialogRoute>([
      // Only a report that names its reporter lets the bot keep their address (`submitFriction` decides).
      [CARD_ACTIONS.submitFriction, { run: (a, d) => this.submitFriction(a, d), remember: false }],
      // The reporter of the report being folded in may be anonymous: nothing of them is kept here either.
      [CARD_ACTIONS.plusOneInstead, { run: (a, d) => friction.plusOneInstead(a, d), remember: false }],
      [CARD_ACTIONS.submitChange, named((a, d) => changes.submit(a, d))],
      [CARD_ACTIONS.submitRelease, named((a, d) => releases.submit(a, d))],
      [CARD_ACTIONS.submitTraining, named((a, d) => trainings.submit(a, d))],
      [CARD_ACTIONS.submitAudit, named((a, d) => audits.submit(a, d))],
      [CARD_ACTIONS.submitAuditChange, named((a, d) => audits.submitChange(a, d))],
      [CARD_ACTIONS.recordAudit, named((a, d) => audits.submitResults(a, d))],
      [CARD_ACTIONS.submitSop, named((a, d) => sops.submit(a, d))],
      ...frictionDecisions.map(
        ([action, decision]) => [action, named((a, d) => friction.submitDecision(a, decision, d))] as const,
      ),
      ...changeDecisions.map(
        ([action, decision]) => [action, named((a, d) => changes.submitDecision(a, decision, d))] as const,
      ),
    ]);
    // Added to a team, or the app installed: everyone there becomes reachable; members who join later too.
    this.onMembersAdded(async (context, next) => {
      await this.learnWho(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.learnWho(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      // A plain Action.Submit on a card arrives as a message whose `value` is the button's data.
      const pressed = cardAction.safeParse(context.activity.value);
      if (pressed.success) await this.onCardButton(context, pressed.data);
      else await this.onText(context);
      await next();
    });
  }

  private async onText(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!activity.from?.id || typeof activity.text !== 'string') return;
    await this.remember(activity);
    if (activity.text.length > MAX_TEXT) {
      await context.sendActivity(
        'That message is too long for a command, so I did nothing. Say **help** to see what I can do.',
      );
      return;
    }
    const { text, mentions } = await extractMentions(context);
    const words = text.replace(/^\s*\/?coe\b/i, '').trim();
    const actor = actorOf(activity);
    // Guidance, so it is answered where it was asked (in a channel: in the thread); the form itself is private.
    const friction = FRICTION_WORDS.exec(words);
    if (friction) {
      await context.sendActivity(this.friction.opener(friction[1] ?? ''));
      return;
    }
    const change = CHANGE_REQUEST_WORDS.exec(words);
    if (change) {
      await this.offerForm(context, () => this.changes.opener(actor, change[1] ?? ''));
      return;
    }
    const channelId = channelIdOf(activity);
    const command = parseCoeCommand(words, mentions, { today: new Date() });
    if (command.kind === 'release') {
      await this.offerForm(context, () => this.releases.opener(actor, command.sopKey));
      return;
    }
    if (command.kind === 'trainingAssign') {
      await this.offerForm(context, () => this.trainings.opener(actor));
      return;
    }
    if (command.kind === 'auditPlan' || command.kind === 'auditChange') {
      await this.offerForm(context, () => this.audits.opener(actor, command));
      return;
    }
    if (command.kind === 'sopForm') {
      await this.offerForm(context, () => this.sops.opener(actor, command.key));
      return;
    }
    const reply = await answer(
      () => this.services.commands.handle({ actor, key: interactionKey(activity), ...whereSaid(activity) }, command),
      this.log,
    );
    // Teams has no ephemeral messages: in a channel only guidance is answered in the thread; anything about the
    // person (a confirmation, a refusal) goes to their personal chat.
    const guidance = command.kind === 'help' || command.kind === 'unknown' || command.kind === 'invalid';
    if (!channelId || guidance) {
      await context.sendActivity(cardActivity(reply));
      return;
    }
    await this.answerPrivately(context, reply);
  }

  /**
   * A form's opener card is guidance, answered where it was asked; the check before it (may this person, is there
   * anything to do) can refuse, and a refusal is about the person, so it goes privately.
   */
  private async offerForm(context: TurnContext, open: () => Promise<Partial<Activity>>): Promise<void> {
    let opener: Partial<Activity>;
    try {
      opener = await open();
    } catch (error) {
      await this.answerPrivately(context, await answer(() => Promise.reject(error), this.log));
      return;
    }
    await context.sendActivity(opener);
  }

  /** A plain button on a card (Triage, Approve, Deployed, Mark complete, Snooze): the outcome goes to the presser only. */
  private async onCardButton(context: TurnContext, data: { coeAction: string }): Promise<void> {
    const activity = context.activity;
    if (!activity.from?.id) return;
    await this.remember(activity);
    const route = this.buttons.get(data.coeAction);
    const reply = route ? await answer(() => route(activity, data), this.log) : message(UNKNOWN_BUTTON);
    await this.answerPrivately(context, reply);
  }

  /**
   * Every invoke gets an answer Teams can show: one this bot does not handle (botbuilder answers 501), or whose handler
   * failed (botbuilder answers 500 with the error's message), gets a short notice instead.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const name = context.activity.name;
    try {
      const response = await super.onInvokeActivity(context);
      return response.status === StatusCodes.NOT_IMPLEMENTED ? invokeNotice(name, UNKNOWN_BUTTON) : response;
    } catch (error) {
      this.log.error({ err: error, invoke: name?.slice(0, 64) }, 'teams: an invoke failed');
      return invokeNotice(name, SORRY);
    }
  }

  protected override handleTeamsTaskModuleFetch(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return this.dialog(context, this.fetches, request?.data);
  }

  protected override handleTeamsTaskModuleSubmit(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return this.dialog(context, this.submits, request?.data);
  }

  /** Routes a task/fetch or task/submit by the card action its data carries. */
  private async dialog(
    context: TurnContext,
    routes: Map<string, DialogRoute>,
    data: unknown,
  ): Promise<TaskModuleResponse> {
    const pressed = cardAction.safeParse(data);
    const route = pressed.success ? routes.get(pressed.data.coeAction) : undefined;
    if (!pressed.success || !route) return taskMessage(UNKNOWN_BUTTON);
    if (route.remember) await this.remember(context.activity);
    return route.run(context.activity, pressed.data);
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== MESSAGE_ACTIONS.reportFriction) return taskMessage(UNKNOWN_BUTTON);
    return this.friction.openFormFromMessage(context.activity, action);
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== MESSAGE_ACTIONS.reportFriction) return taskMessage(UNKNOWN_BUTTON);
    return this.submitFriction(context.activity, action.data);
  }

  /** The message box's search for a standard (`search.ts`). */
  protected override handleTeamsMessagingExtensionQuery(
    _context: TurnContext,
    query: MessagingExtensionQuery,
  ): Promise<MessagingExtensionResponse> {
    return this.search.query(query);
  }

  /** The friction form's submit; only a report that names its reporter lets the bot keep their address. */
  private async submitFriction(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    const { response, named } = await this.friction.submit(activity, data);
    if (named) await this.remember(activity);
    return response;
  }

  /** Teams has no ephemeral messages: a private answer goes to the person's personal chat. */
  private async answerPrivately(context: TurnContext, reply: Message): Promise<void> {
    const activity = context.activity;
    if (!channelIdOf(activity)) {
      await context.sendActivity(cardActivity(reply));
      return;
    }
    try {
      await this.services.sender.sendToPerson(externalIdOf(activity), reply);
    } catch (error) {
      this.log.error({ err: error }, 'teams: could not answer in a personal chat');
      await context.sendActivity(
        'I could not reach you in a personal chat. Add the CoE app for yourself and I will answer you there.',
      );
    }
  }

  /** What the roster module needs: where addresses are kept, and how names are recorded. */
  private get reach() {
    return {
      addresses: this.services.addresses,
      noteName: (ref: PersonRef) => this.services.people.noteName(ref),
      log: this.log,
    };
  }

  private async learnWho(context: TurnContext): Promise<void> {
    await learnWho(context, this.reach);
  }

  /**
   * Keeps how to reach this person (and the channel they wrote in) and their name as Teams shows it, so a CoE member
   * who only presses buttons is named on what they decide. Never for what may be anonymous (a friction report).
   */
  private async remember(activity: Activity): Promise<void> {
    await rememberSender(activity, this.reach);
  }
}

export type { ConversationReference };
