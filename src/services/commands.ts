/**
 * Routes a parsed `/coe` command (Slack) or bot command (Teams) to the service that answers it.
 */
import type { CoeCommand } from '../domain/coe-command.ts';
import type { Message } from '../domain/message.ts';
import type { CoeAdminService, CoeRequest } from './coe-admin.ts';
import type { FrictionService } from './friction.ts';

export class CoeCommands {
  constructor(
    private readonly admin: CoeAdminService,
    private readonly friction: FrictionService,
  ) {}

  async handle(request: CoeRequest, command: CoeCommand): Promise<Message> {
    switch (command.kind) {
      case 'status':
        return this.friction.status(command.id);
      case 'myReports':
        return this.friction.myReports(request.actor);
      case 'triageQueue':
        return this.friction.triageQueue(request.actor);
      default:
        return this.admin.handle(request, command);
    }
  }
}
