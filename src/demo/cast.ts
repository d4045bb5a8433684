/**
 * Raccoons Inc. (seed §10): its people, layers, teams and channels. Slack-like identities (`slack:U0RACC…`), so a
 * newcomer sees names on every record. Front Desk has three people: fewer than the minimum group, so its training
 * and audit figures read "too few to show".
 */
import type { PersonRef } from '../domain/people.ts';

export interface TeamCast {
  name: string;
  /** The team's Slack channel id, and its name for the printed story. */
  channel: string;
  channelName: string;
  managers: PersonRef[];
  workers: PersonRef[];
}

let nextId = 1;
const person = (displayName: string): PersonRef => ({
  platform: 'slack',
  externalId: `U0RACC${String(nextId++).padStart(3, '0')}`,
  displayName,
});
const people = (names: readonly string[]) => names.map(person);

export const REVIEW_CHANNEL = { id: 'C0RACCOE1', name: '#coe-review' } as const;

/** The CoE: Rita leads it and raises most redesigns; Otto triages; Priya reviews. */
export const COE = {
  rita: person('Rita Ringtail'),
  otto: person('Otto Marsh'),
  priya: person('Priya Banerjee'),
} as const;

export const EXECUTIVES = {
  victor: person('Victor Stripe'),
  helen: person('Helen Okafor'),
} as const;

const team = (
  name: string,
  channel: string,
  channelName: string,
  managers: readonly string[],
  workers: readonly string[],
): TeamCast => ({ name, channel, channelName, managers: people(managers), workers: people(workers) });

export const WAREHOUSE_NORTH = team(
  'Warehouse North',
  'C0RACWHN1',
  '#warehouse-north',
  ['Marco Bianchi', 'Aiko Tanaka'],
  [
    'Ben Carter',
    'Chloe Dubois',
    'Dev Patel',
    'Ella Novak',
    'Felix Wagner',
    'Gina Rossi',
    'Hugo Lindqvist',
    'Ines Costa',
    'Jonas Berg',
    'Kara Osei',
  ],
);

export const WAREHOUSE_SOUTH = team(
  'Warehouse South',
  'C0RACWHS1',
  '#warehouse-south',
  ['Dana Kowalski'],
  [
    'Leo Martins',
    'Maya Cohen',
    'Nils Eriksen',
    'Olive Grant',
    'Pablo Ruiz',
    'Quinn Harper',
    'Rosa Alves',
    'Sam Whitfield',
    'Tara Nolan',
  ],
);

export const INVENTORY_CONTROL = team(
  'Inventory Control',
  'C0RACINV1',
  '#inventory-control',
  ['Samir Haddad'],
  ['Uma Reddy', 'Vera Lund', 'Wen Zhao', 'Xavier Blanc', 'Yara Haddad'],
);

export const LOGISTICS = team(
  'Logistics',
  'C0RACLOG1',
  '#logistics',
  ['Grace Mbeki'],
  ['Adam Fox', 'Bea Lopez', 'Carl Jansen', 'Dora Kim', 'Emil Horak', 'Fay Quinn'],
);

export const FRONT_DESK = team('Front Desk', 'C0RACFRD1', '#front-desk', ['Lena Fischer'], ['Mia Russo', 'Noah Baker']);

export const TEAMS: readonly TeamCast[] = [WAREHOUSE_NORTH, WAREHOUSE_SOUTH, INVENTORY_CONTROL, LOGISTICS, FRONT_DESK];

/** The warehouse teams the scanning standard goes to. */
export const SCANNING_TEAMS: readonly TeamCast[] = [WAREHOUSE_NORTH, WAREHOUSE_SOUTH, INVENTORY_CONTROL];

export const membersOf = (t: TeamCast): PersonRef[] => [...t.managers, ...t.workers];

export const EVERYONE: readonly PersonRef[] = [
  ...Object.values(COE),
  ...Object.values(EXECUTIVES),
  ...TEAMS.flatMap(membersOf),
];

/** A person's name, for the test and the story's own checks; the printed story never names anyone. */
export const nameOf = (ref: PersonRef) => ref.displayName ?? ref.externalId;

/** The first manager of a team. */
export const managerOf = (t: TeamCast): PersonRef => t.managers[0] as PersonRef;

/** The `i`-th worker of a team (wrapping), so a story line can pick someone without naming them. */
export const workerOf = (t: TeamCast, i: number): PersonRef => t.workers[i % t.workers.length] as PersonRef;
