/**
 * Every Teams bot command the app answers to; each one must be declared in the commandLists of
 * manifests/teams/manifest.json (the manifest test checks both ways).
 */
export const TEAMS_COMMANDS = [
  { title: 'help', description: 'What the CoE bot can do for you' },
  { title: 'setup review-channel', description: 'Make this channel the CoE review channel (CoE only)' },
  { title: 'role', description: 'Give someone a layer: role @person coe|manager|executive|worker (CoE only)' },
] as const;
