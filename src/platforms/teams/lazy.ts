/**
 * Teams in local mode (no app id, loopback only: the Bot Framework Emulator) is a convenience most bots never use,
 * and botbuilder is ~25 MB of the process. Here it is loaded on the first `POST /api/messages` or the first Teams
 * message in the outbox, whichever comes first. Only types are imported: nothing of botbuilder loads with this file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageSender } from '../../ports.ts';
import type { TeamsPlatform } from './index.ts';

export interface LazyTeams {
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
  sender: MessageSender;
}

export function lazyTeams(load: () => Promise<TeamsPlatform>): LazyTeams {
  let platform: Promise<TeamsPlatform> | undefined;
  const get = () => {
    platform ??= load().catch((error: unknown) => {
      // A failed load is tried again with the next request instead of being kept for good.
      platform = undefined;
      throw error;
    });
    return platform;
  };
  return {
    handle: async (req, res, body) => (await get()).handle(req, res, body),
    // Teams' sender has no `findDelivered` nor a per-channel pace; this one has neither, so the outbox treats both
    // alike.
    sender: { send: async (row, parent) => (await get()).sender.send(row, parent) },
  };
}
