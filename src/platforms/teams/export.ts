/**
 * `metrics export [window]` in Teams: a bot cannot just drop a file into a chat there, so the answer is a card with a
 * single-use download link the bot itself serves (`GET /exports/<token>`, see src/export-endpoint.ts), working once
 * for 15 minutes. The card goes where every private answer goes (the personal chat), never into a channel.
 *
 * The link starts with PUBLIC_URL, or else with the address the Teams request came to (the Bot Connector calls the
 * bot's public messaging endpoint; a reverse proxy says which with X-Forwarded-Host/-Proto). That address is kept for
 * the request's turn in an AsyncLocalStorage: the commands below do not see the HTTP request. Without either, the
 * export is shown as lines to copy, with a word for the operator.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { CoeCommand } from '../../domain/coe-command.ts';
import type { Message } from '../../domain/message.ts';
import { EXPORT_PATH, requestOrigin } from '../../export-endpoint.ts';
import type { CoeRequest } from '../../services/coe-admin.ts';
import type { CoeCommands } from '../../services/commands.ts';
import type { ExportLinkService } from '../../services/export-links.ts';

const origins = new AsyncLocalStorage<string | undefined>();

/** Runs a Teams request's turn knowing the address the request came to. */
export function withRequestOrigin<T>(req: Pick<IncomingMessage, 'headers' | 'socket'>, run: () => Promise<T>) {
  return origins.run(requestOrigin(req), run);
}

const NO_ADDRESS =
  'No download link: the bot does not know its public address. The operator sets PUBLIC_URL (e.g. https://coe-bot.example.com) to turn links on.';

/** The commands as Teams answers them: `metrics export` as a download link, everything else as everywhere. */
export class TeamsCommands implements Pick<CoeCommands, 'handle'> {
  constructor(
    private readonly commands: Pick<CoeCommands, 'handle'>,
    private readonly exportLinks: ExportLinkService,
    private readonly publicUrl: string | undefined,
  ) {}

  async handle(request: CoeRequest, command: CoeCommand): Promise<Message> {
    if (command.kind !== 'metrics' || command.view !== 'export') return this.commands.handle(request, command);
    const base = this.publicUrl ?? origins.getStore();
    if (base) return this.exportLinks.offer(request, command.window, (token) => `${base}${EXPORT_PATH}${token}`);
    const lines = await this.commands.handle(request, command);
    return { ...lines, blocks: [...lines.blocks, { type: 'note', text: NO_ADDRESS }] };
  }
}
