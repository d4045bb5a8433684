/**
 * The CoE's desk for the story's everyday reports: a report made by someone (named in the story only by team and
 * layer), found again by its title, triaged (with a root cause, when there is one), or declined to keep the CoE in
 * its lane (seed §3).
 */
import type { PersonRef } from '../domain/people.ts';
import { COE, type TeamCast } from './cast.ts';
import type { Story } from './story.ts';

export interface Noise {
  day: number;
  time: string;
  who: PersonRef;
  /** How the story line names the reporter. */
  as: string;
  team: TeamCast;
  title: string;
  tool: string;
  kind?: string;
  impact: string;
  frequency?: string;
  relatedSop?: string;
  anonymous?: boolean;
}

export function frictionDesk(s: Story) {
  const { hands } = s;
  const { otto } = COE;
  const numbers = new Map<string, number>();

  const report = (n: Noise) =>
    s.at(n.day, n.time, async () => {
      const number = await hands.report(n.who, {
        kind: n.kind ?? 'tool_friction',
        title: n.title,
        description: `${n.title}. Seen by ${n.team.name}.`,
        team: n.team.name,
        tool: n.tool,
        frequency: n.frequency ?? 'weekly',
        impact: n.impact,
        ...(n.relatedSop ? { relatedSop: n.relatedSop } : {}),
        ...(n.anonymous ? { anonymous: true } : {}),
      });
      numbers.set(n.title, number);
      s.line(
        `FR-${number} "${n.title}" reported ${n.anonymous ? 'anonymously' : `by ${n.as}`} (${n.tool}, ${n.impact} impact)`,
      );
    });
  const fr = (title: string) => {
    const number = numbers.get(title);
    if (number === undefined) throw new Error(`demo: no report "${title}" yet`);
    return number;
  };
  const triage = (day: number, time: string, title: string, who: PersonRef, rootCause?: string) =>
    s.at(day, time, async () => {
      await hands.decide(who, 'triage', fr(title));
      if (rootCause) await hands.decide(who, 'rootCause', fr(title), { rootCause });
      s.line(`FR-${fr(title)} triaged${rootCause ? `; root cause: ${rootCause}` : ''} (still open)`);
    });
  const decline = (day: number, time: string, title: string, lane: string, reason?: string, standard?: string) =>
    s.at(day, time, async () => {
      await hands.decide(otto, 'decline', fr(title), {
        lane,
        ...(reason ? { reason } : {}),
        ...(standard ? { standard } : {}),
      });
      s.line(
        `FR-${fr(title)} declined, kept in its lane: ${lane.replace(/_/g, ' ')}${standard ? ` (SOP-${standard})` : ''}`,
      );
    });
  return { report, fr, triage, decline };
}

export type FrictionDesk = ReturnType<typeof frictionDesk>;
