/**
 * Whom a training still concerns (issue 12). An archived team is told nothing new, and neither are the people a
 * training reached only through it: their assignment stays (its history, whether they completed it), but no reminder
 * or notice about it comes to them any more. Someone who also belongs through another of the training's teams, or
 * through one of its layers, is still concerned.
 */
import type { Repositories, Training, TrainingAssignment } from '../ports.ts';

export interface TrainingReach {
  /** The training's teams that are not archived: those whose newcomers are assigned, whose channels hear of it. */
  liveTeamIds: number[];
  /** Whether the person of this assignment is still to hear about the training. */
  concerns(assignment: TrainingAssignment): boolean;
}

export async function trainingReach(repos: Repositories, training: Training): Promise<TrainingReach> {
  const live = new Set((await repos.teams.list()).map((t) => t.id));
  const liveTeamIds = training.teamIds.filter((id) => live.has(id));
  if (liveTeamIds.length === training.teamIds.length) return { liveTeamIds, concerns: () => true };
  // Only those who came through an archived team need a second look: do they belong another way?
  const otherwise = new Set<number>();
  for (const teamId of liveTeamIds) {
    for (const member of await repos.teams.members(teamId)) otherwise.add(member.personId);
  }
  if (training.layers.length > 0) {
    for (const person of await repos.people.withLayers(training.layers)) otherwise.add(person.id);
  }
  return {
    liveTeamIds,
    concerns: (a) => a.teamId === null || live.has(a.teamId) || otherwise.has(a.personId),
  };
}
