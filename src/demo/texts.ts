/**
 * What Raccoons Inc.'s standards say, in Markdown (purpose, steps with who does them, checklists, tool
 * configuration): each v1.0 as registered with `sop new`'s form, and the whole text each change request proposes its
 * standard becomes (the field a change request carries for the release that ships it to write the next version from).
 * The goods-receiving text keeps one vague step ("as needed") on purpose: the clarity check advises on it, and a later
 * change request clarifies it.
 */

export interface StandardText {
  key: string;
  title: string;
  text: string;
  link?: string;
}

const WIKI = 'https://wiki.raccoons-inc.example/sop';

const INVENTORY_SCANNING = `# Inventory scanning

Purpose: every stock movement in the warehouses is scanned once, when it happens, so the stock system matches the shelves.

## Steps

1. Shift lead: hand one charged scanner to each picker at shift start.
2. Picker: scan the shelf label, then the item, for every pick.
3. Picker: keep the scanner on the belt clip between picks.
4. Shift lead: collect the scanners at shift end and put them on the charging rack.
5. Inventory controller: count the zone of the day at 15:00 and compare it with the stock system.

## Checklist at shift start

- [ ] Scanner battery above 80%
- [ ] Scanner logged in with the picker's badge
- [ ] Zone of the day posted at the charging rack

## Tool configuration

Scanner profile, pushed to every handheld scanner by the inventory controller:

\`\`\`
profile: warehouse-default
wifi.roam_scan_interval: 30s
display.brightness: 100%
sleep.after_idle: never
\`\`\`

Questions about this standard go to the CoE in #coe-review.
`;

const LABEL_PRINTING = `# Label printing

Purpose: every parcel and pallet leaves with a label that scans first time.

## Steps

1. Packer: print the shipping label from the order screen.
2. Packer: check that the barcode is sharp and the address is complete.
3. Packer: stick the label on the largest flat side, away from seams.
4. Shift lead: reload labels and ribbon when the printer shows a low-stock warning.

## Returns

1. Clerk: print a returns label from the returns screen and stick it over the old label.

## Checklist each morning

- [ ] Printer head clean
- [ ] Spare roll of labels next to each printer
`;

const GOODS_RECEIVING = `# Goods receiving

Purpose: what arrives is counted, checked and on the shelf within one shift.

## Steps

1. Receiver: check the delivery note against the purchase order.
2. Receiver: check pallets as needed.
3. Receiver: scan every pallet label on arrival, before the pallet moves.
4. Receiver: move damaged goods to the quarantine lane and tell the shift lead.

## Checklist per delivery

- [ ] Delivery note signed
- [ ] Pallet count matches the purchase order
`;

const VISITOR_HANDOFF = `# Visitor hand-off

Purpose: every visitor is met, badged and with their host within 10 minutes of arriving.

## Steps

1. Front desk staff: check the visitor in on the visitor list and print a badge.
2. Front desk staff: call the host, and say where the visitor waits.
3. Host: collect the visitor from the front desk and sign the badge out when they leave.

## Checklist each morning

- [ ] Badge printer on and loaded
- [ ] Visitor list of the day printed
`;

/** `text` with each `[from, to]` replaced once; a `from` that is not there is a mistake in the story. */
function edit(text: string, ...changes: [string, string][]): string {
  return changes.reduce((out, [from, to]) => {
    if (!out.includes(from)) throw new Error(`demo: the text has no "${from}"`);
    return out.replace(from, to);
  }, text);
}

/**
 * What the change requests propose each standard becomes (the whole text, as a change request carries it): the
 * release that ships them makes the next version from it.
 */
export const PROPOSED = {
  scanningV2: edit(
    INVENTORY_SCANNING,
    [
      '1. Shift lead: hand one charged scanner to each picker at shift start.',
      '1. Shift lead: hand one charged scanner and one charged spare battery to each picker at shift start.',
    ],
    [
      '3. Picker: keep the scanner on the belt clip between picks.\n4. Shift lead:',
      "3. Picker: put the scanner on its dock at the pick-wave board between pick waves.\n4. Shift lead: swap each picker's battery for a charged one at the half-shift break.\n5. Shift lead:",
    ],
    ['5. Inventory controller:', '6. Inventory controller:'],
    ['- [ ] Scanner battery above 80%', '- [ ] Scanner battery above 80%\n- [ ] Spare battery charged'],
    ['posted at the charging rack', 'posted at the pick-wave board'],
    [
      'Scanner profile, pushed to every handheld scanner by the inventory controller:',
      'Scanner profile warehouse-2 (firmware 11.4 or later), pushed to every handheld scanner by the inventory controller from the device console:',
    ],
    [
      'profile: warehouse-default\nwifi.roam_scan_interval: 30s\ndisplay.brightness: 100%\nsleep.after_idle: never',
      'profile: warehouse-2\nwifi.roam_scan_interval: 300s\ndisplay.brightness: 40%\nsleep.after_idle: 120s',
    ],
  ),
  labelsV11: edit(
    LABEL_PRINTING,
    [
      '1. Packer: print the shipping label',
      '1. Shift lead: print one warm-up label on each printer at shift start; the printers stand at the packing benches, away from the dock doors.\n2. Packer: print the shipping label',
    ],
    ['2. Packer: check', '3. Packer: check'],
    ['3. Packer: stick', '4. Packer: stick'],
    ['4. Shift lead: reload', '5. Shift lead: reload'],
  ),
  receivingV11: edit(GOODS_RECEIVING, [
    '2. Receiver: check pallets as needed.',
    '2. Receiver: open and count every pallet whose wrap is torn or whose load tilts.',
  ]),
};

/** v2.1: where the spare batteries are. */
export const SCANNING_V21 = edit(PROPOSED.scanningV2, [
  "swap each picker's battery for a charged one at the half-shift break.",
  "swap each picker's battery for a charged one from the spare-battery cabinet (North: by the pick-wave board; South: at dock 1) at the half-shift break.",
]);

export const STANDARDS: readonly StandardText[] = [
  {
    key: 'inventory-scanning',
    title: 'Inventory scanning',
    text: INVENTORY_SCANNING,
    link: `${WIKI}/inventory-scanning`,
  },
  { key: 'label-printing', title: 'Label printing', text: LABEL_PRINTING, link: `${WIKI}/label-printing` },
  { key: 'goods-receiving', title: 'Goods receiving', text: GOODS_RECEIVING },
  { key: 'visitor-handoff', title: 'Visitor hand-off', text: VISITOR_HANDOFF },
];

/** Where the demo's training material lives. */
export const TRAINING_WIKI = 'https://wiki.raccoons-inc.example/training';
