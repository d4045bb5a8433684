/** A new friction report's row, as the services hand it to the repositories: one field or more changed per test. */
import type { NewFrictionReport } from '../../src/ports.ts';

let submissions = 0;

export const reportRow = (over: Partial<NewFrictionReport> = {}): NewFrictionReport => ({
  kind: 'tool_friction',
  title: 'Scanner dies after 30 minutes',
  description: 'It just stops.',
  team: null,
  tool: 'Inventory scanner',
  toolKey: 'inventory scanner',
  titleWords: ['scanner', 'dies', '30', 'minutes'],
  frequency: 'daily',
  impact: 'high',
  relatedSop: null,
  sourceLink: null,
  reporterPersonId: null,
  submissionKey: `sub-${++submissions}`,
  claimToken: 'token-123456',
  statusChangedAt: new Date(),
  ...over,
});
