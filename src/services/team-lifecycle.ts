/**
 * Renaming and archiving an organisation's teams (issue 12), for both platforms: `team rename <name> to <new name>`
 * and `team archive <name>`, and taking a member out (`team member remove @person <name>`; a move is a remove and an
 * add). An archived team is offered in no form (friction, training and release targets) and its
 * channels get no new announcements or reminders; its history stays. CoE members only, as managing teams is
 * (DOMAIN.md). Logged, and the team's channels told once.
 */
import { CoeError } from '../domain/errors.ts';
import {
  teamArchivedAlready,
  teamArchivedConfirmation,
  teamArchivedNotice,
  teamMemberRemovedConfirmation,
  teamMemberRemovedNotice,
  teamRenamedConfirmation,
  teamRenamedNotice,
} from '../domain/lifecycle-messages.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { may, type PersonRef } from '../domain/people.ts';
import type { Clock, Repositories, Store } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';
import { tellPerson } from './review-thread.ts';

export class TeamLifecycleService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** `team rename <name> to <new name>`. */
  async rename(request: CoeRequest, name: string, to: string): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const { person, team } = await this.teamFor(repos, request, name);
      if (team.name === to) return message(`${team.name} is called that already.`);
      if (!(await repos.teams.rename(team.id, to))) {
        throw new CoeError('INPUT.INVALID', `There is already a team called "${to}". Nothing was changed.`);
      }
      await repos.events.record({
        actorPersonId: person.id,
        subject: `team:${team.id}`,
        action: 'team.renamed',
        from: team.name,
        to,
      });
      const channels = team.archivedAt ? [] : await repos.teams.channels([team.id]);
      for (const channel of channels) {
        await repos.outbox.enqueue({
          // One notice per channel and new name: a repeat tells nobody twice.
          key: `team:${team.id}:renamed:${to}:${channel.platform}:${channel.channelId}`,
          platform: channel.platform,
          target: { kind: 'channel', channelId: channel.channelId },
          body: teamRenamedNotice(team.name, to),
        });
      }
      return teamRenamedConfirmation(team.name, to, channels.length);
    });
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }

  /** `team archive <name>`. */
  async archive(request: CoeRequest, name: string): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const { person, team } = await this.teamFor(repos, request, name);
      if (team.archivedAt) return teamArchivedAlready(team.name, team.archivedAt);
      // Read before archiving: an archived team's channels are nobody's to tell.
      const channels = await repos.teams.channels([team.id]);
      if (!(await repos.teams.archive(team.id, this.clock.now()))) {
        return teamArchivedAlready(team.name, this.clock.now());
      }
      await repos.events.record({
        actorPersonId: person.id,
        subject: `team:${team.id}`,
        action: 'team.archived',
        from: team.name,
        to: 'archived',
      });
      for (const channel of channels) {
        await repos.outbox.enqueue({
          key: `team:${team.id}:archived:${channel.platform}:${channel.channelId}`,
          platform: channel.platform,
          target: { kind: 'channel', channelId: channel.channelId },
          body: teamArchivedNotice(team.name),
        });
      }
      return teamArchivedConfirmation(team.name, channels.length);
    });
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }

  /** `team member remove @person <name>`: they leave the team (and stop managing it), and are told. */
  async removeMember(request: CoeRequest, target: PersonRef, name: string): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const { person, team } = await this.teamFor(repos, request, name);
      // `find`: someone the bot never met is in no team, and leaves no trace.
      const member = await repos.people.find(target);
      const who = member?.displayName ?? target.displayName ?? 'They';
      if (!member || !(await repos.teams.removeMember(team.id, member.id))) {
        return message(`${who} is not in ${team.name}, so nothing changed.`);
      }
      await repos.events.record({
        actorPersonId: person.id,
        subject: `team:${team.id}`,
        action: 'team.member-removed',
        from: `person:${member.id}`,
      });
      const told = await tellPerson(
        repos,
        member.id,
        `team:${team.id}:removed:${member.id}:${request.key}`,
        teamMemberRemovedNotice(team.name),
      );
      return teamMemberRemovedConfirmation(who, team.name, told);
    });
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }

  /** The CoE member asking, and the team they name; refusals change nothing (`find`, not `identify`). */
  private async teamFor(repos: Repositories, request: CoeRequest, name: string) {
    const person = await repos.people.find(request.actor);
    if (!person || !may(person.layer, 'manageTeams')) {
      throw new CoeError(
        'PERMISSION.DENIED',
        'Only CoE members rename or archive teams or change who is in them. Nothing was changed.',
      );
    }
    const team = await repos.teams.byName(name);
    if (!team) {
      throw new CoeError('NOT_FOUND', `There is no team "${name}". See the teams with ${coeCommand('team list')}.`);
    }
    return { person, team };
  }
}
