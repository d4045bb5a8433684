import { describe, expect, it } from 'vitest';
import {
  canDecide,
  decisionsFor,
  FRICTION_FIELDS,
  FRICTION_STATUSES,
  type FrictionDecision,
  type FrictionStatus,
  frictionId,
  isOpen,
  keptLikeness,
  LIMITS,
  likeness,
  looksAlike,
  parseFrictionId,
  titleSimilarity,
  toolKey,
  validateFriction,
} from '../../src/domain/friction.ts';

/** A complete, valid form as a platform hands it in. */
const form = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'tool_friction',
  title: 'Scanner dies after 30 minutes',
  description: 'The inventory scanner switches off mid-shift and loses the count.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  ...over,
});

const errorsOf = (raw: Record<string, unknown>, teams: readonly string[] = []) => {
  const result = validateFriction(raw, teams);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(raw)}`);
  return result.errors;
};

const validValue = (raw: Record<string, unknown>, teams: readonly string[] = []) => {
  const result = validateFriction(raw, teams);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.value;
};

describe('validateFriction', () => {
  it('accepts a complete form, trimming texts and leaving the optional ones out', () => {
    expect(validValue(form({ title: '  Scanner dies  ', team: '  ', relatedSop: '' }))).toEqual({
      kind: 'tool_friction',
      title: 'Scanner dies',
      description: 'The inventory scanner switches off mid-shift and loses the count.',
      team: undefined,
      tool: 'Inventory scanner',
      frequency: 'daily',
      impact: 'high',
      relatedSop: undefined,
      anonymous: false,
      sourceLink: undefined,
    });
  });

  it('is not anonymous unless asked, and anonymous when asked', () => {
    expect(validValue(form()).anonymous).toBe(false);
    expect(validValue(form({ anonymous: true })).anonymous).toBe(true);
    expect(validValue(form({ anonymous: false })).anonymous).toBe(false);
  });

  it('treats an optional input sent as null (an empty Slack input) as not given', () => {
    expect(validValue(form({ team: null, relatedSop: null, sourceLink: null }))).toMatchObject({
      team: undefined,
      relatedSop: undefined,
      sourceLink: undefined,
    });
  });

  it('keeps every field at its limit', () => {
    const full = {
      title: 't'.repeat(LIMITS.title),
      description: 'd'.repeat(LIMITS.description),
      team: 'm'.repeat(LIMITS.team),
      tool: 'o'.repeat(LIMITS.tool),
      relatedSop: 's'.repeat(LIMITS.relatedSop),
      sourceLink: `https://x.test/${'p'.repeat(LIMITS.sourceLink - 'https://x.test/'.length)}`,
    };
    expect(validValue(form(full))).toMatchObject(full);
  });

  it('names every missing field with a friendly sentence, keyed by the field', () => {
    expect(errorsOf({})).toEqual({
      kind: 'Please choose what kind of friction this is.',
      title: 'Please fill in a short title.',
      description: 'Please fill in what happened.',
      tool: 'Please fill in the tool or process affected.',
      frequency: 'Please choose how often it happens.',
      impact: 'Please choose the impact.',
    });
  });

  it.each([
    ['title', 'a short title'],
    ['description', 'what happened'],
    ['tool', 'the tool or process affected'],
  ])('counts a blank %s as missing', (field, label) => {
    expect(errorsOf(form({ [field]: ' \n\t ' }))).toEqual({ [field]: `Please fill in ${label}.` });
    expect(errorsOf(form({ [field]: 42 }))).toEqual({ [field]: `Please fill in ${label}.` });
  });

  it.each([
    ['kind', 'what kind of friction this is'],
    ['frequency', 'how often it happens'],
    ['impact', 'the impact'],
  ])('refuses a %s that is not one of the choices', (field, label) => {
    expect(errorsOf(form({ [field]: 'catastrophic' }))).toEqual({ [field]: `Please choose ${label}.` });
    expect(errorsOf(form({ [field]: 'TOOL_FRICTION' }))).toEqual({ [field]: `Please choose ${label}.` });
  });

  it.each([
    ['title', 'a short title', LIMITS.title],
    ['description', 'what happened', LIMITS.description],
    ['team', 'the team', LIMITS.team],
    ['tool', 'the tool or process affected', LIMITS.tool],
    ['relatedSop', 'the related SOP', LIMITS.relatedSop],
  ] as const)('refuses a %s over its limit, saying how long it is', (field, label, max) => {
    // Surrounding spaces do not count; the length told is the trimmed one.
    const text = ` ${'x'.repeat(max + 1)} `;
    expect(errorsOf(form({ [field]: text }))).toEqual({
      [field]: `Keep ${label} under ${max} characters (it has ${max + 1}).`,
    });
  });

  it('refuses a 5,000-character description', () => {
    expect(errorsOf(form({ description: 'y'.repeat(5000) }))).toEqual({
      description: 'Keep what happened under 3000 characters (it has 5000).',
    });
  });

  it('reports every problem of a form at once, one per field', () => {
    const errors = errorsOf(form({ kind: 'nope', title: '', tool: 'o'.repeat(101), impact: undefined }));
    expect(Object.keys(errors).sort()).toEqual(['impact', 'kind', 'title', 'tool']);
    for (const field of Object.keys(errors)) expect(FRICTION_FIELDS).toContain(field);
  });

  it('gives friendly messages for inputs of the wrong type', () => {
    expect(errorsOf(form({ team: 7, anonymous: 'yes' }))).toEqual({
      team: 'Please write the team as text.',
      anonymous: 'Please say whether to report anonymously.',
    });
  });

  it.each(['not a link', 'javascript:alert(1)', 'ftp://files.example/report'])(
    'refuses a source link %j that is not a web address',
    (sourceLink) => {
      expect(errorsOf(form({ sourceLink }))).toEqual({
        sourceLink: 'The link to the original message must be a web address (https://…).',
      });
    },
  );

  it('accepts a web link to the original message, and refuses an over-long one', () => {
    const link = 'https://raccoons.slack.com/archives/C123/p1700000000000100';
    expect(validValue(form({ sourceLink: link })).sourceLink).toBe(link);
    expect(errorsOf(form({ sourceLink: `https://x.test/${'p'.repeat(LIMITS.sourceLink)}` }))).toEqual({
      sourceLink: 'Keep the link to the original message under 2000 characters.',
    });
  });

  describe('the team', () => {
    const teams = ['Warehouse', 'Night shift'];

    it('takes any name while the organisation has no teams yet (a fresh install still takes reports)', () => {
      expect(validValue(form({ team: 'Loading dock' }), []).team).toBe('Loading dock');
      expect(validValue(form(), []).team).toBeUndefined();
    });

    it('must be one of the teams once there are teams, and the error lists them', () => {
      expect(errorsOf(form({ team: 'Loading dock' }), teams)).toEqual({
        team: 'There is no team called "Loading dock". Pick one of: Warehouse, Night shift.',
      });
    });

    it('is matched whatever its case and spacing, and stored as the team is spelled', () => {
      expect(validValue(form({ team: '  night SHIFT ' }), teams).team).toBe('Night shift');
      expect(validValue(form({ team: 'warehouse' }), teams).team).toBe('Warehouse');
    });

    it('stays optional when there are teams', () => {
      expect(validValue(form(), teams).team).toBeUndefined();
    });
  });
});

describe('toolKey', () => {
  it('ignores case, spacing, punctuation and accents', () => {
    const key = toolKey('Inventory scanner');
    expect(key).toBe('inventory scanner');
    for (const spelling of ['inventory scanner', 'INVENTORY SCANNER', '  Inventory   scanner ', 'inventory-scanner!'])
      expect(toolKey(spelling)).toBe(key);
    expect(toolKey('Crème Brûlée app')).toBe('creme brulee app');
    expect(toolKey('Kassensystem Müller')).toBe(toolKey('kassensystem muller'));
    expect(toolKey('ＳＡＰ　２')).toBe('sap 2'); // full-width letters and digits
  });

  it('keeps different tools apart', () => {
    expect(toolKey('Inventory scanner')).not.toBe(toolKey('Inventory scanners'));
    expect(toolKey('SAP 1')).not.toBe(toolKey('SAP 2'));
  });
});

describe('titleSimilarity and looksAlike', () => {
  it('is 1 for the same meaningful words, whatever the order, case and filler words', () => {
    expect(titleSimilarity('Scanner dies after 30 minutes', 'the SCANNER dies in 30 minutes')).toBe(1);
    expect(titleSimilarity('Scanner dies', 'dies, scanner!')).toBe(1);
  });

  it('is the share of meaningful words the titles have in common', () => {
    // {scanner, dies, 30, minutes} vs {scanner, battery, 30, minutes}: 3 shared of 5.
    expect(titleSimilarity('Scanner dies after 30 minutes', 'Scanner battery 30 minutes')).toBeCloseTo(3 / 5);
    expect(titleSimilarity('Label printer jams', 'Scanner dies')).toBe(0);
  });

  it('is 0 when a title has no meaningful words', () => {
    expect(titleSimilarity('the a of', 'the a of')).toBe(0);
    expect(titleSimilarity('', 'Scanner dies')).toBe(0);
  });

  it('finds reports about the same tool alike even with unrelated titles', () => {
    expect(
      looksAlike(
        { tool: 'Inventory scanner', title: 'Battery' },
        { tool: 'inventory-SCANNER', title: 'Login takes ages' },
      ),
    ).toBe(true);
  });

  it('finds reports with close titles alike even about other tools, and not otherwise', () => {
    expect(
      looksAlike(
        { tool: 'Scanner A', title: 'Scanner dies after 30 minutes' },
        { tool: 'Scanner B', title: 'Scanner dies' },
      ),
    ).toBe(true); // 2 of 4 words: 0.5
    expect(
      looksAlike(
        { tool: 'Scanner A', title: 'Scanner dies after 30 minutes' },
        { tool: 'Scanner B', title: 'Scanner slow' },
      ),
    ).toBe(false); // 1 of 5 words
  });

  it('compares a stored report by the words kept with it, or by its title when none were kept', () => {
    const title = 'Scanner dies after 30 minutes';
    const fresh = likeness({ tool: 'Scanner A', title });
    // As stored: the tool key and the words the title had when it was stored.
    expect(keptLikeness({ toolKey: 'scanner a', titleWords: [...fresh.words], title })).toEqual(fresh);
    // Stored before the words were kept: worked out from the title.
    expect(keptLikeness({ toolKey: 'scanner a', titleWords: [], title })).toEqual(fresh);
    // The kept words are what counts (a title is never edited, so they only differ in this test).
    expect(keptLikeness({ toolKey: 'scanner a', titleWords: ['printer'], title }).words).toEqual(new Set(['printer']));
  });
});

describe('report ids', () => {
  it('writes FR-n', () => {
    expect(frictionId(12)).toBe('FR-12');
  });

  it.each([
    ['FR-12', 12],
    ['fr-12', 12],
    ['FR12', 12],
    ['12', 12],
    ['  FR-7 ', 7],
    ['Fr-007', 7],
    ['FR-123456789', 123456789],
  ])('reads %j as %i', (text, number) => {
    expect(parseFrictionId(text)).toBe(number);
  });

  it.each(['', 'FR-', 'FR 12', 'CR-12', 'FR-12a', '-12', '1.5', 'FR--12', 'FR-1234567890', 'twelve'])(
    'reads %j as no id',
    (text) => {
      expect(parseFrictionId(text)).toBeUndefined();
    },
  );
});

describe('the lifecycle', () => {
  const expected: Record<FrictionStatus, FrictionDecision[]> = {
    new: ['triage', 'duplicate', 'decline'],
    triaged: ['rootCause', 'duplicate', 'decline'],
    analysing: ['rootCause', 'duplicate', 'decline'],
    in_change: [],
    resolved: [],
    declined: [],
    duplicate: [],
  };

  it.each(FRICTION_STATUSES)('offers the right decisions on a report that is %s', (status) => {
    expect(decisionsFor(status)).toEqual(expected[status]);
    for (const decision of ['triage', 'rootCause', 'duplicate', 'decline'] as const) {
      expect(canDecide(decision, status)).toBe(expected[status].includes(decision));
    }
  });

  it('counts new, triaged and analysing reports as open', () => {
    expect(FRICTION_STATUSES.filter(isOpen)).toEqual(['new', 'triaged', 'analysing']);
  });
});
