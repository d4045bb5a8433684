/**
 * The slash commands: `/coe …` (every text command, and `release`, `training assign` and `audit plan`, which open
 * their forms), `/friction [text]` and `/change-request [text]`.
 */
import { parseCoeCommand } from '../../../domain/coe-command.ts';
import { exportSentMessage } from '../../../domain/metrics-export.ts';
import { answer } from '../../../services/answer.ts';
import { sendExport } from '../export.ts';
import { SLASH_COMMANDS } from '../ids.ts';
import { extractMentions, readableText } from '../mentions.ts';
import { slashCommand } from '../payloads.ts';
import { renderMessage } from '../render.ts';
import { auditChangeFormView, auditPlanFormView } from '../views/audit-form.ts';
import { changeFormView, changePrefillFromText } from '../views/change-form.ts';
import { prefillFromText } from '../views/friction-form.ts';
import { releaseFormView } from '../views/release-form.ts';
import { sopFormView } from '../views/sop-form.ts';
import { trainingFormView } from '../views/training-form.ts';
import { attempt, type ListenerDeps } from './deps.ts';
import { openFormFromCommand } from './open-form.ts';
import { FORM_DID_NOT_OPEN, openFrictionForm } from './open-friction-form.ts';
import type { SlackRoutes } from './routes.ts';

const INCOMPLETE = 'That command arrived incomplete, so I did nothing. Please try again.';

/** Slack's name for the channel a command came from; not the placeholders it sends for private and direct chats. */
const channelNameOf = (name: string | undefined) =>
  name && !['privategroup', 'directmessage'].includes(name) ? { channelName: name } : {};

export function registerCommands(routes: SlackRoutes, deps: ListenerDeps): void {
  routes.command(SLASH_COMMANDS.coe, async ({ command, ack, client, respond }) => {
    const parsed = slashCommand.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: INCOMPLETE });
      return;
    }
    const c = parsed.data;
    // The people mentioned by the names Slack shows (looked up before any listener ran, `names.ts`).
    const { text, mentions, channels } = extractMentions(c.text, deps.names);
    const coeCommand = parseCoeCommand(text, mentions, { channels, today: new Date() });
    const actor = {
      platform: 'slack' as const,
      externalId: c.user_id,
      ...(deps.names.nameOf(c.user_id) ? { displayName: deps.names.nameOf(c.user_id) } : {}),
      ...(c.user_name ? { handle: c.user_name } : {}),
    };
    // `release`, `training assign`, `audit plan` and `audit change` are forms, opened on this command's trigger
    // (refused with a reason when this person may not, or when there is nothing to fill in yet).
    const opening = { ack, respond, client, triggerId: c.trigger_id };
    switch (coeCommand.kind) {
      case 'release':
        return openFormFromCommand(
          deps,
          opening,
          () => deps.releases.formOptions(actor, coeCommand.sopKey),
          releaseFormView,
        );
      case 'trainingAssign':
        return openFormFromCommand(deps, opening, () => deps.trainings.formOptions(actor), trainingFormView);
      case 'auditPlan':
        return openFormFromCommand(deps, opening, () => deps.audits.formOptions(actor), auditPlanFormView);
      case 'auditChange':
        return openFormFromCommand(
          deps,
          opening,
          () => deps.auditLifecycle.changeForm(actor, coeCommand.id),
          auditChangeFormView,
        );
      case 'sopForm':
        return openFormFromCommand(
          deps,
          opening,
          () => deps.sopTexts.formOptions(actor),
          (options) => sopFormView(options, { key: coeCommand.key }),
        );
    }
    if (coeCommand.kind === 'metrics' && coeCommand.view === 'export') {
      // A file to make and upload: ack now, then say privately where it went (or why it did not).
      await ack();
      const sent = await attempt(async () => {
        const file = await deps.metrics.export({ actor, key: `slack:command:${c.trigger_id}` }, coeCommand.window);
        await sendExport(client, c.user_id, file);
        return exportSentMessage(file);
      }, deps.log);
      await respond({ response_type: 'ephemeral', ...renderMessage(sent.ok ? sent.value : sent.reply) }).catch(
        (error: unknown) => deps.log.warn({ err: error }, 'slack: the export answer could not be sent'),
      );
      return;
    }
    if (coeCommand.kind === 'metrics') {
      // Figures to add up and a chart to draw and upload may take longer than Slack waits for the ack: ack now, and
      // answer through the command's response_url (private as well).
      await ack();
      const scorecard = await answer(
        () => deps.commands.handle({ actor, key: `slack:command:${c.trigger_id}` }, coeCommand),
        deps.log,
      );
      await respond({ response_type: 'ephemeral', ...(await deps.charts.render(scorecard)) }).catch((error: unknown) =>
        deps.log.warn({ err: error }, 'slack: the metrics answer could not be sent'),
      );
      return;
    }
    const inDirectMessage = c.channel_name === 'directmessage' || c.channel_id.startsWith('D');
    const reply = await answer(
      () =>
        deps.commands.handle(
          {
            actor,
            key: `slack:command:${c.trigger_id}`,
            ...(inDirectMessage ? {} : { channelId: c.channel_id, ...channelNameOf(c.channel_name) }),
          },
          coeCommand,
        ),
      deps.log,
    );
    await ack({ response_type: 'ephemeral', ...renderMessage(reply) });
  });

  // `/friction [text]`: the form opens on the trigger; nothing is stored until it is submitted.
  routes.command(SLASH_COMMANDS.friction, async ({ command, ack, client, respond }) => {
    const parsed = slashCommand.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: INCOMPLETE });
      return;
    }
    await ack();
    const c = parsed.data;
    const opened = await openFrictionForm(deps, client, {
      triggerId: c.trigger_id,
      actor: { platform: 'slack', externalId: c.user_id },
      prefill: prefillFromText(readableText(c.text)),
    });
    if (!opened) {
      await respond({ response_type: 'ephemeral', text: FORM_DID_NOT_OPEN }).catch((error: unknown) => {
        deps.log.warn({ err: error }, 'slack: could not answer through the response_url');
      });
    }
  });

  // `/change-request [text]`: workers are pointed to /friction instead of getting a form; nothing is stored yet.
  routes.command(SLASH_COMMANDS.changeRequest, async ({ command, ack, client, respond }) => {
    const parsed = slashCommand.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: INCOMPLETE });
      return;
    }
    const c = parsed.data;
    await openFormFromCommand(
      deps,
      { ack, respond, client, triggerId: c.trigger_id },
      () => deps.changes.formOptions({ platform: 'slack', externalId: c.user_id }),
      (options) => changeFormView({ options, prefill: changePrefillFromText(readableText(c.text)) }),
    );
  });
}
