/**
 * Nudges about reports that wait too long, on Teams (issue 5): the "Snooze a week" button on a nudge (a plain
 * Action.Submit). It parses what Teams sent (zod), calls the stale-nudge service, and returns its answer for the bot
 * to tell the presser privately. No business rule lives here.
 */
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Message } from '../../domain/message.ts';
import type { StaleNudgeService } from '../../services/stale-nudges.ts';
import { actorOf } from './activity.ts';
import { parseData } from './dialog.ts';

/** The nudge's button data: what it is about, `FR-12:untriaged`. */
const buttonData = z.object({ value: z.string().max(40) });

export function snoozeNudge(nudges: StaleNudgeService, activity: Activity, data: unknown): Promise<Message> {
  return nudges.snooze({ actor: actorOf(activity) }, parseData(buttonData, data).value);
}
