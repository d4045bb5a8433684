/**
 * Builds the Teams side: a `CloudAdapter` (auth off when no app id is set: the Bot Framework Emulator's local mode),
 * the bot, and the outbox sender. Everything botbuilder-specific stays in this folder.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../../config.ts';
import type { ErrorSink } from '../../services/answer.ts';
import type { ExportLinkService } from '../../services/export-links.ts';
import { TeamsBot, type TeamsServices } from './bot.ts';
import { checkActivity } from './edge.ts';
import { TeamsCommands, withRequestOrigin } from './export.ts';
import { TeamsSender } from './sender.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';

export interface TeamsPlatform {
  adapter: CloudAdapter;
  bot: TeamsBot;
  sender: TeamsSender;
  /** Handles `POST /api/messages`: `body` is checked to be an activity (400 otherwise) before botbuilder sees it. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
}

export function createTeamsPlatform(
  config: Config['teams'] & Pick<Config, 'publicUrl'>,
  services: Omit<TeamsServices, 'sender'> & { exportLinks: ExportLinkService },
  log: ErrorSink & { warn(obj: object, msg: string): void },
): TeamsPlatform {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId ?? '',
    MicrosoftAppPassword: config.appPassword ?? '',
    MicrosoftAppTenantId: config.tenantId ?? '',
    MicrosoftAppType: config.appType,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error }, 'teams: unhandled error in a turn');
    await context
      .sendActivity('Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.')
      .catch(() => {});
  };
  const sender = new TeamsSender(adapter, config.appId ?? '', services.addresses);
  const commands = new TeamsCommands(services.commands, services.exportLinks, config.publicUrl);
  const bot = new TeamsBot({ ...services, commands, sender }, log);

  return {
    adapter,
    bot,
    sender,
    async handle(req, res, body) {
      const checked = checkActivity(body);
      if (!checked.ok) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: checked.error }));
        return;
      }
      await withRequestOrigin(req, () =>
        adapter.process(
          { body: checked.activity, headers: req.headers, method: req.method ?? 'POST' },
          expressLikeResponse(res),
          (context) => bot.run(context),
        ),
      );
    },
  };
}

/** The small part of Express's response that `CloudAdapter.process` calls. */
function expressLikeResponse(res: ServerResponse) {
  return {
    socket: res.socket,
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    status(code: number) {
      res.statusCode = code;
      return this;
    },
    send(body?: unknown) {
      // botbuilder puts its error's message in a 500's body: the client learns nothing of our internals.
      if (res.statusCode >= 500) return res.end(JSON.stringify({ error: 'internal error' }));
      if (body === undefined || body === null) return res.end();
      if (typeof body === 'object' && !Buffer.isBuffer(body)) {
        if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify(body));
      }
      return res.end(body as string | Buffer);
    },
    end(...args: unknown[]) {
      return res.end(...(args as []));
    },
  };
}
