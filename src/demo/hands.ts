/**
 * What the demo's people do, as the platforms would do it for them: each call is one interaction (a form submitted,
 * a button pressed, a command typed) with its own key, handed to the same service method the Slack listeners call.
 * A refusal or a form error stops the demo: the story is meant to go through.
 */
import { resultFields } from '../domain/audit.ts';
import type { ChangeDecision } from '../domain/change.ts';
import { parseCoeCommand } from '../domain/coe-command.ts';
import type { FrictionDecision } from '../domain/friction.ts';
import type { Message } from '../domain/message.ts';
import type { PersonRef } from '../domain/people.ts';
import { deployedValue } from '../domain/release-messages.ts';
import type { DecisionInput } from '../services/friction.ts';
import type { World } from './world.ts';

type Raw = Record<string, unknown>;

function refused(what: string, errors: unknown): never {
  throw new Error(`demo: ${what} was refused: ${JSON.stringify(errors)}`);
}

export interface ReleaseMade {
  id: number;
  name: string;
  teamIds: number[];
  /** How long the text the release wrote for its version is, when it wrote one. */
  textLength?: number;
}

/** ", its text written from what its change requests proposed (N characters)", when the release wrote one. */
export const textNote = (release: ReleaseMade) =>
  release.textLength ? `; its text written from the change requests' proposal (${release.textLength} characters)` : '';

export class Hands {
  private keys = 0;

  constructor(private readonly w: World) {}

  private request(actor: PersonRef, what: string) {
    return { actor, key: `demo:${what}:${++this.keys}` };
  }

  /** A `/coe` command, typed in a channel (`channelId`) or a direct message, mentioning people and channels. */
  coe(
    actor: PersonRef,
    text: string,
    where: { channelId?: string; mentions?: PersonRef[]; channels?: string[] } = {},
  ): Promise<Message> {
    const command = parseCoeCommand(text, where.mentions ?? [], {
      today: this.w.time.now(),
      channels: where.channels ?? [],
    });
    if (command.kind === 'invalid' || command.kind === 'unknown') refused(`"${text}"`, command);
    const request = this.request(actor, 'coe');
    return this.w.services.commands.handle(
      where.channelId ? { ...request, channelId: where.channelId } : request,
      command,
    );
  }

  /** The friction form: the new report's number. */
  async report(actor: PersonRef, raw: Raw): Promise<number> {
    const result = await this.w.services.friction.submit(this.request(actor, 'friction'), raw);
    if (!result.ok) refused('a friction report', result.errors);
    return result.number;
  }

  /** A review-message button (and its form): triage, root cause, duplicate, decline. */
  decide(actor: PersonRef, decision: FrictionDecision, report: number, input: DecisionInput = {}): Promise<Message> {
    return this.w.services.friction.decide(this.request(actor, decision), decision, report, input);
  }

  /** The change-request form (or its revision): the request's number. */
  async change(actor: PersonRef, raw: Raw, revise?: number): Promise<number> {
    const revising = revise === undefined ? undefined : `CR-${revise}`;
    const result = await this.w.services.changes.submit(this.request(actor, 'change'), raw, revising);
    if (!result.ok) refused('a change request', result.errors);
    return result.number;
  }

  decideChange(actor: PersonRef, decision: ChangeDecision, change: number, reason?: string): Promise<Message> {
    return this.w.services.changes.decide(this.request(actor, decision), decision, `CR-${change}`, reason);
  }

  withdraw(actor: PersonRef, change: number): Promise<Message> {
    return this.w.services.changes.withdraw(this.request(actor, 'withdraw'), `CR-${change}`);
  }

  /**
   * The release form for one standard, as the CoE member sees it (the next version's text, when its change requests
   * propose one) and publishes it; when the text changed since the form showed it, the form shows it again and the
   * member presses Publish once more. The release as stored.
   */
  async release(actor: PersonRef, sopKey: string, raw: Raw): Promise<ReleaseMade> {
    const { releases } = this.w.services;
    const request = this.request(actor, 'release');
    const shown = (await releases.formOptions(actor, sopKey)).prefill?.text?.fingerprint;
    let result = await releases.publish({ ...request, ...(shown ? { previewed: shown } : {}) }, raw);
    if (!result.ok && result.text && result.text.fingerprint !== shown) {
      result = await releases.publish({ ...request, previewed: result.text.fingerprint }, raw);
    }
    if (!result.ok) refused('a release', result.errors);
    const release = await this.w.store.read((r) => r.sops.releaseBySubmissionKey(request.key));
    if (!release) throw new Error('demo: the release was not stored');
    const text = await this.w.store.read((r) => r.sopTexts.get(release.sopKey, release));
    return {
      id: release.id,
      name: `SOP-${release.sopKey} v${release.major}.${release.minor}`,
      teamIds: release.teamIds,
      ...(text ? { textLength: text.text.length } : {}),
    };
  }

  /** "Deployed in my team", on the release's announcement in that team's channel. */
  async deployed(actor: PersonRef, release: ReleaseMade, teamName: string): Promise<Message> {
    const team = await this.w.store.read((r) => r.teams.byName(teamName));
    if (!team) throw new Error(`demo: no team ${teamName}`);
    return this.w.services.releases.acknowledge(this.request(actor, 'deployed'), deployedValue(release.id, team.id));
  }

  /** The training form: the training's number. */
  async assign(actor: PersonRef, raw: Raw): Promise<number> {
    const request = this.request(actor, 'training');
    const result = await this.w.services.trainings.assign(request, raw);
    if (!result.ok) refused('a training', result.errors);
    const training = await this.w.store.read((r) => r.trainings.bySubmissionKey(request.key));
    if (!training) throw new Error('demo: the training was not stored');
    return training.number;
  }

  /** "Mark complete" on a reminder. */
  complete(actor: PersonRef, training: number): Promise<Message> {
    return this.w.services.trainings.complete(this.request(actor, 'complete'), `TR-${training}`);
  }

  /** The audit plan form: the plan's number. */
  async planAudit(actor: PersonRef, raw: Raw, owner: PersonRef): Promise<number> {
    const request = this.request(actor, 'audit');
    const result = await this.w.services.audits.plan(request, raw, owner);
    if (!result.ok) refused('an audit plan', result.errors);
    const plan = await this.w.store.read((r) => r.audits.planBySubmissionKey(request.key));
    if (!plan) throw new Error('demo: the audit plan was not stored');
    return plan.number;
  }

  /** The plan's scheduled fire at `dueAt` (what the `audit:AUD-n` job runs): the run's id. */
  async fireAudit(plan: number, dueAt: Date): Promise<number> {
    await this.w.services.audits.fire(plan, dueAt);
    const [run] = await this.w.store.read((r) => r.audits.runs(plan, 1));
    if (!run || run.dueAt.getTime() !== dueAt.getTime()) throw new Error(`demo: AUD-${plan} opened no run`);
    return run.id;
  }

  /** "Record results" on a run: each checklist item's pass or fail and measured variance (percent). */
  async recordAudit(
    actor: PersonRef,
    run: number,
    items: readonly { passed: boolean; variance: number }[],
  ): Promise<{ breach: boolean; change: number | null; maxVariance: number }> {
    const raw: Raw = {};
    items.forEach((item, i) => {
      const fields = resultFields(i);
      raw[fields.passed] = item.passed ? 'pass' : 'fail';
      raw[fields.variance] = String(item.variance);
    });
    const result = await this.w.services.audits.record(this.request(actor, 'audit-results'), String(run), raw);
    if (!result.ok) refused('audit results', result.errors);
    const recorded = await this.w.store.read((r) => r.audits.run(run));
    if (!recorded?.recordedAt) throw new Error(`demo: run ${run} was not recorded`);
    return {
      breach: recorded.breach === true,
      change: recorded.changeNumber ?? null,
      maxVariance: recorded.maxVariance ?? 0,
    };
  }
}
