/**
 * `/coe` in Slack and the same words said to the bot in Teams: help, the review channel, and roles. One service
 * for both platforms; each platform only turns its payload into a `CoeRequest` and renders the `Message` back.
 */
import { type CoeCommand, USAGE } from '../domain/coe-command.ts';

/** The `/coe` commands this service answers; the friction ones go to `FrictionService`. */
export type AdminCommand = Exclude<CoeCommand, { kind: 'status' | 'myReports' | 'triageQueue' }>;

import { CoeError } from '../domain/errors.ts';
import { type Message, message } from '../domain/message.ts';
import { LAYER_LABELS, type Layer, may, type PersonRef, type Platform } from '../domain/people.ts';
import type { Repositories, Store } from '../ports.ts';

export interface CoeRequest {
  actor: PersonRef;
  /** The inbound interaction's idempotency key (Slack trigger or event id, Teams activity id). */
  key: string;
  /** The channel the command was sent from, when it was a channel. */
  channelId?: string;
}

/** How a command is typed on each platform: `/coe help` in Slack, `help` to the bot in Teams. */
export function commandWords(platform: Platform, words: string): string {
  return platform === 'slack' ? `/coe ${words}` : words;
}

/** "a manager", "an executive". */
const aOrAn = (label: string) => `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;

export class CoeAdminService {
  constructor(private readonly store: Store) {}

  /** Runs one parsed `/coe` command and returns the private reply for the person who sent it. */
  async handle(request: CoeRequest, command: AdminCommand): Promise<Message> {
    switch (command.kind) {
      case 'help':
        return this.help(request.actor.platform);
      case 'unknown':
        return this.help(request.actor.platform, `I don't know "${command.text}" yet. Here is what I can do:`);
      case 'invalid':
        return message(
          `${command.problem} Usage: ${commandWords(request.actor.platform, command.usage)}`,
          { type: 'paragraph', text: command.problem },
          { type: 'note', text: `Usage: \`${commandWords(request.actor.platform, command.usage)}\`` },
        );
      case 'setupReviewChannel':
        return this.setupReviewChannel(request);
      case 'grantRole':
        return this.grantRole(request, command.person, command.layer);
      case 'teamAdd':
        return this.addTeam(request, command.name);
      case 'teamList':
        return this.listTeams();
    }
  }

  private async addTeam(request: CoeRequest, name: string): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await this.authorize(repos, request.actor, 'manageTeams');
      if (!(await repos.teams.add(name))) return false;
      await repos.events.record({ actorPersonId: person.id, subject: `team:${name}`, action: 'team.added' });
      return true;
    });
    if (outcome.duplicate) return message('Already done.');
    return message(outcome.value ? `Done: team "${name}" added.` : `There is already a team called "${name}".`);
  }

  private async listTeams(): Promise<Message> {
    const names = await this.store.transaction((repos) => repos.teams.names());
    return names.length === 0
      ? message('No teams yet. CoE members add them with team add <name>.')
      : message(
          `Teams: ${names.join(', ')}`,
          { type: 'heading', text: 'Teams' },
          { type: 'paragraph', text: names.join('\n') },
        );
  }

  help(platform: Platform, intro = 'I help your Center of Excellence run its improvement loop.'): Message {
    const cmd = (words: string) => `\`${commandWords(platform, words)}\``;
    const friction = platform === 'slack' ? '`/friction [what happened]`' : '`friction [what happened]`';
    return message(
      `${intro} Commands: ${commandWords(platform, 'help')}, ${friction.replaceAll('`', '')}, ${commandWords(platform, USAGE.status)}, ${commandWords(platform, 'my reports')}, ${commandWords(platform, 'setup review-channel')}, ${commandWords(platform, 'role …')}`,
      { type: 'paragraph', text: intro },
      {
        type: 'facts',
        facts: [
          { label: cmd('help'), value: 'This list.' },
          {
            label: friction,
            value: 'Report friction: a tool, a failure pattern, a training gap, quality variance, a cross-team issue.',
          },
          { label: cmd(USAGE.status), value: 'Where a report stands.' },
          { label: cmd('my reports'), value: 'Your reports and their status.' },
          { label: cmd('queue'), value: 'Open reports waiting for the CoE (CoE only).' },
          {
            label: cmd(USAGE.setup),
            value: 'Make this channel the CoE review channel, where reports are triaged (CoE only).',
          },
          { label: cmd(USAGE.role), value: "Set a person's layer (CoE only)." },
          { label: cmd(USAGE.team), value: 'Add or list the teams reports name (CoE only to add).' },
        ],
      },
      { type: 'note', text: 'Every change to how we work goes through the CoE. Nobody is monitored individually.' },
    );
  }

  private async setupReviewChannel(request: CoeRequest): Promise<Message> {
    const { actor, channelId } = request;
    if (!channelId) {
      throw new CoeError(
        'SETUP.WRONG_PLACE',
        `Run ${commandWords(actor.platform, USAGE.setup)} in the channel the CoE should review in, not in a direct message.`,
      );
    }
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await this.authorize(repos, actor, 'setupReviewChannel');
      const previous = await repos.reviewChannels.get(actor.platform);
      if (previous === channelId) return;
      await repos.reviewChannels.set(actor.platform, channelId);
      await repos.events.record({
        actorPersonId: person.id,
        subject: `review-channel:${actor.platform}`,
        action: 'review-channel.set',
        from: previous,
        to: channelId,
      });
      await repos.outbox.enqueue({
        key: `${request.key}:announce`,
        platform: actor.platform,
        target: { kind: 'channel', channelId },
        body: message(
          'This channel is now the CoE review channel.',
          { type: 'heading', text: 'CoE review channel' },
          {
            type: 'paragraph',
            text: 'Friction reports and change requests will arrive here for the CoE to triage, analyse and decide.',
          },
        ),
      });
    });
    return message(outcome.duplicate ? 'Already done.' : 'Done: this channel is now the CoE review channel.');
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
        body: message(`You are now ${aOrAn(LAYER_LABELS[layer])} in the CoE bot.`),
      });
      return true;
    });
    if (outcome.duplicate) return message('Already done.');
    return message(
      outcome.value
        ? `Done: ${name} is now ${aOrAn(LAYER_LABELS[layer])}.`
        : `${name} is already ${aOrAn(LAYER_LABELS[layer])}.`,
    );
  }

  /** Registers a review channel named in the configuration (COE_SLACK_CHANNEL_ID) when none is set yet. */
  async bootstrapReviewChannel(platform: Platform, channelId: string): Promise<void> {
    await this.store.transaction(async (repos) => {
      if (await repos.reviewChannels.get(platform)) return;
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
