/**
 * Training (seed §2 "Training programs and certification paths", §9 "training effectiveness"): a training is linked
 * to a version of a standard and assigned to teams or layers with a due date; reminders follow people who have not
 * completed it, on working days only, a few times at most, never after they are done.
 */
import { z } from 'zod';
import { choices, fieldErrors } from './form-fields.ts';
import { LAYERS, type Layer } from './people.ts';

export const TRAINING_FIELDS = ['title', 'material', 'sop', 'teams', 'layers', 'due'] as const;
export type TrainingField = (typeof TRAINING_FIELDS)[number];
export type TrainingFieldErrors = Partial<Record<TrainingField, string>>;

export const TRAINING_LIMITS = { title: 120, material: 2000 } as const;

const form = z.object({
  title: z
    .string({ error: 'Please fill in a title.' })
    .trim()
    .min(1, 'Please fill in a title.')
    .max(TRAINING_LIMITS.title, `Keep the title under ${TRAINING_LIMITS.title} characters.`),
  material: z
    .string({ error: 'Please give a link or the material.' })
    .trim()
    .min(1, 'Please give a link or the material.')
    .max(
      TRAINING_LIMITS.material,
      `Keep the material under ${TRAINING_LIMITS.material} characters; link to it instead.`,
    ),
  sop: z.string().trim().max(60).nullish(),
  teams: choices,
  layers: choices,
  due: z.string({ error: 'Please pick the due date.' }).trim().min(1, 'Please pick the due date.'),
});

export interface TrainingInput {
  title: string;
  material: string;
  sopKey?: string;
  teamIds: number[];
  layers: Layer[];
  /** `YYYY-MM-DD` */
  dueOn: string;
}

/**
 * Checks a training form: a title, the material, an optional standard from the registry, at least one team or layer,
 * and a due date from today on (dates are the organisation's, `today` in its time zone).
 */
export function validateTraining(
  raw: Record<string, unknown>,
  context: { sops: readonly string[]; teams: readonly { id: number; name: string }[]; today: string },
): { ok: true; value: TrainingInput } | { ok: false; errors: TrainingFieldErrors } {
  const parsed = form.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors<TrainingField>(parsed.error, raw) };
  const errors: TrainingFieldErrors = {};
  const input = parsed.data;
  const sopKey = input.sop ? input.sop.replace(/^sop-/i, '').toLowerCase() : undefined;
  if (sopKey && !context.sops.includes(sopKey)) errors.sop = `There is no SOP-${sopKey}.`;
  const teamIds: number[] = [];
  for (const text of input.teams) {
    const team = context.teams.find((t) => String(t.id) === text || t.name.toLowerCase() === text.toLowerCase());
    if (!team) errors.teams = `There is no team "${text}".`;
    else if (!teamIds.includes(team.id)) teamIds.push(team.id);
  }
  const layers: Layer[] = [];
  for (const text of input.layers) {
    const layer = LAYERS.find((l) => l === text.toLowerCase());
    if (!layer) errors.layers = `"${text}" is not a layer: worker, manager, executive or coe.`;
    else if (!layers.includes(layer)) layers.push(layer);
  }
  if (input.teams.length === 0 && input.layers.length === 0) errors.teams = 'Pick the teams or the layers to train.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.due) || Number.isNaN(Date.parse(`${input.due}T00:00:00Z`))) {
    errors.due = 'Give the due date as YYYY-MM-DD.';
  } else if (input.due < context.today) errors.due = 'The due date has passed already.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title: input.title,
      material: input.material,
      ...(sopKey ? { sopKey } : {}),
      teamIds,
      layers,
      dueOn: input.due,
    },
  };
}

export const trainingId = (number: number) => `TR-${number}`;

export function parseTrainingId(text: string): number | undefined {
  const match = /^\s*(?:tr-?)?(\d{1,9})\s*$/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** What the reminder run knows about one person's assignment on one day. */
export interface ReminderState {
  completed: boolean;
  /** Reminders sent so far. */
  nudges: number;
  /** The local date of the last one. */
  lastOn: string | null;
  snoozedUntil: Date | null;
  /** The local date the training was assigned. */
  assignedOn: string;
}

/**
 * Whether a person gets a reminder now: not done, under the cap, not snoozed, not reminded today already, and not on
 * the day it was assigned (the announcement was today's word). Working days and hours are the caller's check.
 */
export function reminderDue(state: ReminderState, today: string, now: Date, cap: number): boolean {
  if (state.completed || state.nudges >= cap) return false;
  if (state.snoozedUntil && state.snoozedUntil > now) return false;
  if (state.lastOn === today) return false;
  return today > state.assignedOn;
}

/** Snoozing a reminder skips a day: the next one comes once 24 hours have passed. */
export const SNOOZE_MS = 24 * 3600 * 1000;
