/**
 * Standards' texts for tests: long ones, written the way a CoE writes them (sections of steps, checklists, notes,
 * tables and configuration), to page through on every platform.
 */

/** A standard of about `size` characters: sections of steps, checklists, notes, tables and configuration. */
export function longStandard(size: number): string {
  const parts: string[] = ['# Inventory scanning', ''];
  for (let section = 1; parts.join('\n').length < size; section++) {
    parts.push(
      `## Part ${section}: receiving bay ${section}`,
      '',
      `Counts in bay ${section} stay right when every pallet is scanned on arrival & before it is moved to a shelf.`,
      '',
      ...Array.from(
        { length: 6 },
        (_, i) => `${i + 1}. Receiver: scan pallet label ${section}.${i + 1}, then confirm the count on the screen.`,
      ),
      '',
      '- [ ] Scanner charged above 50%',
      '- [x] Dock door logged in the <WMS> screen',
      '',
      `> Note ${section}: a pallet without a label waits in the quarantine lane.`,
      '',
      '| Check | Owner |',
      '|---|---|',
      `| Dock ${section} | Receiving lead |`,
      '',
      '```',
      `bay.${section}.timeout = 30s`,
      '```',
      '',
    );
  }
  return parts.join('\n').slice(0, size);
}

/** A short standard and the versions it goes through in the release and change tests: each a list of lines. */
export const SCANNING_KEY = 'inventory-scanning';
export const SCANNING_V1 = [
  '# Inventory scanning',
  '',
  '## Steps',
  '',
  '1. Shift lead: charge the scanners.',
  '2. Picker: scan each item.',
];
/** v2 reworded a step; v3 and v4 each add one. */
export const SCANNING_V2 = SCANNING_V1.map((l) =>
  l.replace('charge the scanners.', 'charge the scanners at every break.'),
);
export const SCANNING_V3 = [...SCANNING_V2, '3. Picker: scan the shelf label.'];
export const SCANNING_V4 = [...SCANNING_V3, '4. Shift lead: count the spare batteries.'];
