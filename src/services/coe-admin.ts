/**
 * `/coe` in Slack and the same words said to the bot in Teams: help, the review channel, and roles. One service
 * for both platforms; each platform only turns its payload into a `CoeRequest` and renders the `Message` back.
 */
import { type CoeCommand, USAGE } from '../domain/coe-command.ts';

/** The `/coe` commands this service answers: help, set-up, roles and teams. */
export type AdminCommand = Extract<
  CoeCommand,
  {
    kind:
      | 'help'
      | 'unknown'
      | 'invalid'
      | 'setupReviewChannel'
      | 'grantRole'
      | 'teamAdd'
      | 'teamList'
      | 'teamChannel'
      | 'teamMember';
  }
>;

import { CoeError } from '../domain/errors.ts';
import { type HelpOptions, helpMessage, wantsEverything } from '../domain/help.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { LAYER_LABELS, type Layer, may, type PersonRef, type Platform, withArticle } from '../domain/people.ts';
import { reviewChannelConfirmation } from '../domain/review-channel-messages.ts';
import type { Repositories, Store } from '../ports.ts';
import { setReviewChannel } from './review-channel.ts';

export interface CoeRequest {
  actor: PersonRef;
  /** The inbound interaction's idempotency key (Slack trigger or event id, Teams activity id). */
  key: string;
  /** The channel the command was sent from, when it was a channel. */
  channelId?: string;
  /** That channel's name, where the platform gives it (to say where the review channel moved). */
  channelName?: string;
}

export class CoeAdminService {
  constructor(private readonly store: Store) {}

  /** Runs one parsed `/coe` command and returns the private reply for the person who sent it. */
  async handle(request: CoeRequest, command: AdminCommand): Promise<Message> {
    switch (command.kind) {
      case 'help':
        return this.help(request.actor, { all: wantsEverything(command.topic) });
      case 'unknown':
        return this.help(request.actor, { unknown: command.text });
      case 'invalid':
        return message(
          `${command.problem} Usage: ${coeCommand(command.usage)}`,
          { type: 'paragraph', text: command.problem },
          { type: 'note', text: `Usage: ${coeCommand(command.usage)}` },
        );
      case 'setupReviewChannel':
        return this.setupReviewChannel(request);
      case 'grantRole':
        return this.grantRole(request, command.person, command.layer);
      case 'teamAdd':
        return this.addTeam(request, command.name, command.channelId);
      case 'teamChannel':
        return this.linkChannel(request, command.name, command.channelId ?? request.channelId);
      case 'teamMember':
        return this.addMember(request, command.person, command.name, command.manager);
      case 'teamList':
        return this.listTeams();
    }
  }

  private async addTeam(request: CoeRequest, name: string, channelId: string | undefined): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await this.authorize(repos, request.actor, 'manageTeams');
      if (!(await repos.teams.add(name))) return `There is already a team called "${name}".`;
      await repos.events.record({ actorPersonId: person.id, subject: `team:${name}`, action: 'team.added' });
      if (!channelId) return `Done: team "${name}" added.`;
      const team = await repos.teams.byName(name);
      if (team) await this.link(repos, person.id, team, request.actor.platform, channelId);
      return `Done: team "${name}" added, with its channel.`;
    });
    return message(outcome.duplicate ? 'Already done.' : outcome.value);
  }

  private async linkChannel(request: CoeRequest, name: string, channelId: string | undefined): Promise<Message> {
    const { platform } = request.actor;
    if (!channelId) {
      throw new CoeError(
        'SETUP.WRONG_PLACE',
        `Run ${coeCommand('team channel <team>')} in the team's channel, not in a direct message.`,
      );
    }
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await this.authorize(repos, request.actor, 'manageTeams');
      const team = await repos.teams.byName(name);
      if (!team)
        throw new CoeError('NOT_FOUND', `There is no team "${name}". Add it with ${coeCommand('team add <name>')}.`);
      refuseArchived(team);
      const result = await this.link(repos, person.id, team, platform, channelId);
      return result === 'same'
        ? `That channel is ${team.name}'s already.`
        : `Done: releases and reminders for ${team.name} go to that channel${result === 'moved' ? " (it was another team's before)" : ''}.`;
    });
    return message(outcome.duplicate ? 'Already done.' : outcome.value);
  }

  private async link(
    repos: Repositories,
    actorId: number,
    team: { id: number; name: string },
    platform: Platform,
    channelId: string,
  ) {
    const result = await repos.teams.addChannel(team.id, platform, channelId);
    if (result !== 'same') {
      await repos.events.record({
        actorPersonId: actorId,
        subject: `team:${team.name}`,
        action: 'team.channel-linked',
        to: `${platform}:${channelId}`,
      });
    }
    return result;
  }

  private async addMember(request: CoeRequest, target: PersonRef, name: string, manager: boolean): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const actor = await this.authorize(repos, request.actor, 'manageTeams');
      const team = await repos.teams.byName(name);
      if (!team) {
        throw new CoeError('NOT_FOUND', `There is no team "${name}". Add it with ${coeCommand('team add <name>')}.`);
      }
      refuseArchived(team);
      const person = await repos.people.identify(target);
      await repos.teams.setMember(team.id, person.id, manager);
      await repos.events.record({
        actorPersonId: actor.id,
        subject: `team:${team.name}`,
        action: manager ? 'team.manager-set' : 'team.member-set',
        to: `person:${person.id}`,
      });
      const who = person.displayName ?? target.displayName ?? 'They';
      return manager
        ? `Done: ${who} manages ${team.name}${person.layer === 'manager' || person.layer === 'coe' ? '' : ` (give them the manager layer too: ${coeCommand('role @person manager')})`}.`
        : `Done: ${who} is in ${team.name}.`;
    });
    return message(outcome.duplicate ? 'Already done.' : outcome.value);
  }

  private async listTeams(): Promise<Message> {
    const teams = await this.store.transaction((repos) => repos.teams.list());
    if (teams.length === 0) return message(`No teams yet. CoE members add them with ${coeCommand('team add <name>')}.`);
    return message(
      `Teams: ${teams.map((t) => t.name).join(', ')}`,
      { type: 'heading', text: 'Teams' },
      {
        type: 'facts',
        facts: teams.slice(0, 50).map((t) => ({
          label: t.name,
          value: `${t.members} member${t.members === 1 ? '' : 's'}, ${t.managers.length} manager${t.managers.length === 1 ? '' : 's'}, ${t.channels} channel${t.channels === 1 ? '' : 's'}`,
        })),
      },
    );
  }

  /** What this person may do, by their layer, most used first (src/domain/help.ts). */
  private async help(actor: PersonRef, options: HelpOptions): Promise<Message> {
    // `find`, not `identify`: asking for help leaves no trace of a person the bot has not met.
    const person = await this.store.read((repos) => repos.people.find(actor));
    return helpMessage(person?.layer ?? 'worker', options);
  }

  private async setupReviewChannel(request: CoeRequest): Promise<Message> {
    const { actor, channelId } = request;
    if (!channelId) {
      throw new CoeError(
        'SETUP.WRONG_PLACE',
        `Run ${coeCommand(USAGE.setup)} in the channel the CoE should review in, not in a direct message.`,
      );
    }
    const outcome = await this.store.once(request.key, async (repos) => {
      // Refused for anyone else, with nothing changed (the transaction is undone).
      const person = await this.authorize(repos, actor, 'setupReviewChannel');
      return setReviewChannel(repos, person, { ...request, channelId });
    });
    return outcome.duplicate ? message('Already done.') : reviewChannelConfirmation(outcome.value);
  }

  private async grantRole(request: CoeRequest, target: PersonRef, layer: Layer): Promise<Message> {
    let name = target.displayName ?? 'They';
    const outcome = await this.store.once(request.key, async (repos) => {
      const granter = await this.authorize(repos, request.actor, 'grantRole');
      const person = await repos.people.identify(target);
      name = person.displayName ?? name;
      if (person.layer === layer) return false;
      await repos.people.setLayer(person.id, layer);
      await repos.events.record({
        actorPersonId: granter.id,
        subject: `person:${person.id}`,
        action: 'role.granted',
        from: person.layer,
        to: layer,
      });
      await repos.outbox.enqueue({
        key: `${request.key}:notify`,
        platform: target.platform,
        target: { kind: 'dm', externalId: target.externalId },
        body: message(`You are now ${withArticle(LAYER_LABELS[layer])} in the CoE bot.`),
      });
      return true;
    });
    if (outcome.duplicate) return message('Already done.');
    return message(
      outcome.value
        ? `Done: ${name} is now ${withArticle(LAYER_LABELS[layer])}.`
        : `${name} is already ${withArticle(LAYER_LABELS[layer])}.`,
    );
  }

  /** Registers a review channel named in the configuration (COE_SLACK_CHANNEL_ID) when none is set yet. */
  async bootstrapReviewChannel(platform: Platform, channelId: string): Promise<void> {
    await this.store.transaction(async (repos) => {
      if (await repos.reviewChannels.current(platform)) return;
      await repos.reviewChannels.set(platform, channelId);
      await repos.events.record({
        actorPersonId: null,
        subject: `review-channel:${platform}`,
        action: 'review-channel.set',
        to: channelId,
        reason: 'configuration',
      });
    });
  }

  /** Grants the CoE layer to the identities named in COE_MEMBERS (start-up; idempotent). */
  async bootstrapCoeMembers(members: readonly PersonRef[]): Promise<void> {
    if (members.length === 0) return;
    await this.store.transaction(async (repos) => {
      for (const ref of members) {
        const person = await repos.people.identify(ref);
        if (person.layer === 'coe') continue;
        await repos.people.setLayer(person.id, 'coe');
        await repos.events.record({
          actorPersonId: null,
          subject: `person:${person.id}`,
          action: 'role.granted',
          from: person.layer,
          to: 'coe',
          reason: 'COE_MEMBERS',
        });
      }
    });
  }

  private async authorize(
    repos: Repositories,
    actor: PersonRef,
    action: 'grantRole' | 'setupReviewChannel' | 'manageTeams',
  ) {
    const person = await repos.people.identify(actor);
    if (!may(person.layer, action)) {
      throw new CoeError(
        'PERMISSION.DENIED',
        'Only CoE members can do that. Ask a CoE member if you think it is needed.',
      );
    }
    return person;
  }
}

/** An archived team takes no new members or channels: its history stays as it was (issue 12). */
function refuseArchived(team: { name: string; archivedAt: Date | null }): void {
  if (team.archivedAt) {
    throw new CoeError(
      'INPUT.INVALID',
      `${team.name} is archived: it takes no new members or channels. Nothing was changed. Add a new team with ${coeCommand('team add <name>')}.`,
    );
  }
}
