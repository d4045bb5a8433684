/**
 * What every Slack listener gets, and the two things they all do around a service call: turn a failure into words
 * for the person (once, through `answer`), and say it privately.
 */
import type { WebClient } from '@slack/web-api';
import { type Message, message } from '../../../domain/message.ts';
import { answer } from '../../../services/answer.ts';
import type { AuditService } from '../../../services/audit.ts';
import type { AuditLifecycleService } from '../../../services/audit-lifecycle.ts';
import type { ChangeService } from '../../../services/change.ts';
import type { CoeCommands } from '../../../services/commands.ts';
import type { FrictionService } from '../../../services/friction.ts';
import type { MetricsService } from '../../../services/metrics.ts';
import type { PeopleService } from '../../../services/people.ts';
import type { ReleaseService } from '../../../services/release.ts';
import type { SopSearchService } from '../../../services/sop-search.ts';
import type { SopTextService } from '../../../services/sop-text.ts';
import type { StaleNudgeService } from '../../../services/stale-nudges.ts';
import type { TrainingService } from '../../../services/training.ts';
import type { SlackCharts } from '../charts.ts';
import type { SlackNames } from '../names.ts';
import { renderMessage } from '../render.ts';

/** The core's services the Slack side calls. */
export interface SlackServices {
  commands: CoeCommands;
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
  metrics: MetricsService;
}

export interface ListenerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The services the Slack side calls, and where it says what went wrong. */
export type ListenerDeps = SlackServices & { names: SlackNames; charts: SlackCharts; log: ListenerLog };

/** Runs a service call; a failure becomes the reply the person should see (a `CoeError`'s words, or "sorry"). */
export async function attempt<T>(
  work: () => Promise<T>,
  log: ListenerLog,
): Promise<{ ok: true; value: T } | { ok: false; reply: Message }> {
  let result: { ok: true; value: T } | undefined;
  const reply = await answer(async () => {
    result = { ok: true, value: await work() };
    return message('');
  }, log);
  return result ?? { ok: false, reply };
}

/**
 * An ephemeral reply in the channel the person acted in: only they see it. Falls back to the interaction's
 * `response_url` (also ephemeral) when Slack refuses, e.g. in a channel the bot posts to without being a member.
 */
export async function tellPrivately(
  client: WebClient,
  where: { channel?: string | undefined; user: string; respond?: ((reply: object) => Promise<unknown>) | undefined },
  reply: Message,
  log: ListenerLog,
): Promise<void> {
  const { text, blocks } = renderMessage(reply);
  if (where.channel) {
    try {
      await client.chat.postEphemeral({ channel: where.channel, user: where.user, text, blocks });
      return;
    } catch (error) {
      if (!where.respond) {
        log.warn({ err: error }, 'slack: could not answer privately');
        return;
      }
    }
  }
  try {
    await where.respond?.({ response_type: 'ephemeral', replace_original: false, text, blocks });
  } catch (error) {
    log.warn({ err: error }, 'slack: could not answer privately through the response_url');
  }
}
