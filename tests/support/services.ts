/**
 * The core's services wired together as the composition root (src/app.ts) wires them, on any store and clock:
 * for unit tests that go through more than one service.
 */
import type { Clock, Store } from '../../src/ports.ts';
import { ChangeService } from '../../src/services/change.ts';
import { CoeAdminService } from '../../src/services/coe-admin.ts';
import { CoeCommands } from '../../src/services/commands.ts';
import { FrictionService } from '../../src/services/friction.ts';
import { ReleaseService } from '../../src/services/release.ts';
import { StandardsService } from '../../src/services/standards.ts';

export interface ServiceOptions {
  recurrenceThreshold?: number;
  recurrenceWindowDays?: number;
  quorum?: number;
  newToken?: () => string;
}

let tokens = 0;

export function buildServices(store: Store, clock: Clock, options: ServiceOptions = {}) {
  const admin = new CoeAdminService(store);
  const friction = new FrictionService(
    store,
    clock,
    {
      recurrenceThreshold: options.recurrenceThreshold ?? 3,
      recurrenceWindowDays: options.recurrenceWindowDays ?? 14,
    },
    options.newToken ?? (() => `token-${String(++tokens).padStart(8, '0')}`),
  );
  const changes = new ChangeService(store, clock, { quorum: options.quorum ?? 1 }, friction, (actor) =>
    actor.platform === 'slack' ? '/friction' : 'friction',
  );
  const standards = new StandardsService(store, clock);
  const releases = new ReleaseService(store, clock, friction, changes, { error: () => {} });
  const commands = new CoeCommands({ admin, friction, changes, standards });
  return { admin, friction, changes, standards, releases, commands };
}
