/**
 * The clarity check of a standard's text (seed §9 "clear, minimal, unambiguous"; §11 "Clarify, Simplify, Remove
 * ambiguity"): deterministic, and advisory — it says what a reader could stumble on and where, and the CoE decides.
 * It looks at the prose only: code blocks and `code spans` (configuration, commands) are left alone. Pure functions.
 */

export type ClarityRule =
  | 'longer'
  | 'vague'
  | 'should'
  | 'regularly'
  | 'asap'
  | 'no-actor'
  | 'long-sentence'
  | 'acronym';

export interface ClarityFinding {
  rule: ClarityRule;
  /** Why it matters and what to write instead, in a short sentence. */
  reason: string;
  /** Where: "line 12", "step on line 14", or "the whole text". */
  where: string;
  /** 1-based line of the text; none for what is about the whole text. */
  line?: number;
  /** The words it is about, as written. */
  excerpt?: string;
}

/** What a version keeps of its check, for the scorecard: how many findings, and their rules (each once, as found). */
export interface TextClarity {
  findings: number;
  rules: ClarityRule[];
}

/** Sentences longer than this many words are hard to follow on a phone or a shop floor. */
export const SENTENCE_WORDS_MAX = 30;

const VAGUE: readonly { pattern: RegExp; reason: string }[] = [
  {
    pattern: /\bas (?:needed|required)\b|\b(?:if|when) (?:needed|necessary)\b/i,
    reason: 'leaves the call to the reader: say when, or how much.',
  },
  {
    pattern: /\b(?:if|as|when|where) appropriate\b/i,
    reason: 'leaves the call to the reader: say in which cases.',
  },
  {
    pattern: /\betc\b\.?|\band so on\b|\band so forth\b/i,
    reason: 'leaves the list open: name every item, or the rule that decides what belongs.',
  },
  {
    pattern: /\b(?:if|when|where|as far as) possible\b/i,
    reason: 'makes the step optional without saying when: say when it may be skipped.',
  },
];
const SHOULD = /\bshould(?:n['’]t| not)?\b/i;
const ASAP = /\bASAP\b|\bas soon as possible\b/i;
const OFTEN = /\b(?:regularly|periodically|frequently|routinely|occasionally|from time to time)\b/i;
const PERIOD = new RegExp(
  [
    String.raw`\b(?:every|each|per|a|an|once a|twice a)\s+(?:\d+\s+)?(?:minute|hour|day|week|fortnight|month|quarter|year|shift|morning|afternoon|evening|night|break|run|delivery|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b`,
    String.raw`\b(?:hourly|daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually)\b`,
    String.raw`\b\d+\s+times?\s+(?:a|an|per|each|every)\b`,
    String.raw`\bevery\s+\d+`,
    String.raw`\bat\s+\d{1,2}(?::\d{2})?\s*(?:am|pm|h)?\b`,
  ].join('|'),
  'i',
);

/** Who does a step, as standards usually name them. A step can also start with its doer: "Shift lead: scan …". */
const ROLES =
  /\b(?:workers?|managers?|leads?|supervisors?|operators?|owners?|coe|team|teams|technicians?|engineers?|analysts?|agents?|admins?|administrators?|approvers?|reviewers?|requesters?|reporters?|auditors?|trainers?|trainees?|pickers?|packers?|drivers?|clerks?|coordinators?|assistants?|officers?|staff|employees?|members?|executives?|directors?|heads?|specialists?|controllers?|planners?|dispatchers?|receivers?|cashiers?|nurses?|doctors?|developers?|stewards?|champions?|(?:the )?requester|whoever)\b/i;
const LABEL = /^\**([A-Za-z][\w'’ /&-]{0,40}?)\**\s*(?::|\s[—–-]\s)\s*\S/;
const NOT_A_DOER =
  /^(?:step(?:\s*\d+)?|note|tip|warning|important|caution|why|when|where|how|what|example|optional|goal|purpose|output|input|result|time|tools?|e\.g|i\.e|scope|owner|who)$/i;
const BY_WHOM = /\((?:by|owner|who|done by|responsible)\b[^)]*\)|\b(?:who|owner|responsible)\s*:/i;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const STEPS_HEADING = /\b(?:steps?|procedures?|process|how to|how we|workflow|instructions?|method)\b/i;

/** Well known, or not acronyms at all (shouted words, units): never asked to be spelled out. */
const KNOWN = new Set([
  'AI',
  'OK',
  'ID',
  'IDS',
  'PDF',
  'URL',
  'USB',
  'FAQ',
  'SOP',
  'SOPS',
  'CEO',
  'HR',
  'IT',
  'AM',
  'PM',
  'UTC',
  'GMT',
  'KB',
  'MB',
  'GB',
  'TV',
  'PC',
  'UK',
  'US',
  'EU',
  'USA',
  'CSV',
  'MUST',
  'NOT',
  'NEVER',
  'ALWAYS',
  'DO',
  'DONT',
  'NO',
  'ALL',
  'ANY',
  'ONLY',
  'STOP',
  'NOTE',
  'TIP',
  'WARNING',
  'IMPORTANT',
  'CAUTION',
  'DANGER',
  'AND',
  'OR',
  'IF',
  'THE',
  'BEFORE',
  'AFTER',
  'YES',
  'NEW',
  'NOW',
  'TODO',
  'ASAP',
]);
/** Capitals only: a model or part number ("TC52") is a name, not an acronym. */
const ACRONYM = /\b[A-Z][A-Z&]{1,6}s?\b(?!-\d)/g;

/** One unit of prose: a heading, a list item, a quote or a paragraph, with where it starts. */
interface Unit {
  line: number;
  kind: 'heading' | 'item' | 'step' | 'text';
  text: string;
}

/** Markdown's markers and code out, links down to their words: the prose a reader reads. */
function prose(text: string): string {
  return text
    .replace(/`[^`]*`/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<https?:\/\/[^>]*>|https?:\/\/\S+/g, ' ')
    .replace(/(\*\*|__|~~)/g, '')
    .replace(/(^|\s)[*_](?=\S)|(?<=\S)[*_](?=\s|[.,;:!?]|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function units(text: string): Unit[] {
  const out: Unit[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let fence: string | undefined;
  let section = '';
  let open: Unit | undefined;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      open = undefined;
      return;
    }
    if (raw.trim() === '' || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(raw) || TABLE_RULE.test(raw)) {
      open = undefined;
      return;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    const item = /^\s*(?:([-*+])|(\d{1,9})[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(raw);
    const quote = /^\s{0,3}>\s?(.*)$/.exec(raw);
    if (heading) {
      section = heading[1] ?? '';
      out.push({ line, kind: 'heading', text: prose(section) });
      open = undefined;
    } else if (item) {
      const step = item[2] !== undefined || STEPS_HEADING.test(section);
      const checkbox = /^\s*[-*+]\s+\[[ xX]\]/.test(raw);
      open = { line, kind: step && !(checkbox && !STEPS_HEADING.test(section)) ? 'step' : 'item', text: item[3] ?? '' };
      out.push(open);
    } else if (open) {
      open.text = `${open.text} ${(quote?.[1] ?? raw).trim()}`;
    } else {
      open = {
        line,
        kind: 'text',
        text: (quote?.[1] ?? raw)
          .replace(/^\s*\|/, '')
          .replace(/\|/g, ' ')
          .trim(),
      };
      out.push(open);
    }
  });
  return out.map((u) => ({ ...u, text: u.kind === 'heading' ? u.text : prose(u.text) }));
}

const wordCount = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
const sentencesOf = (text: string) =>
  text.split(/(?<=[.!?])\s+(?=["“(]?[\p{Lu}\p{N}])/u).filter((s) => s.trim() !== '');
const at = (unit: Unit) => (unit.kind === 'step' ? `step on line ${unit.line}` : `line ${unit.line}`);
const firstWords = (text: string, n = 8) => {
  const words = text.split(/\s+/);
  return words.length <= n ? text : `${words.slice(0, n).join(' ')}…`;
};

function hasDoer(text: string): boolean {
  const label = LABEL.exec(text)?.[1]?.trim();
  if (label && !NOT_A_DOER.test(label)) return true;
  return ROLES.test(text) || BY_WHOM.test(text);
}

/** Acronyms spelled out somewhere in the text: "Warehouse Management System (WMS)", "WMS (Warehouse …)", "WMS: …". */
function spelledOut(acronym: string, text: string): boolean {
  const bare = acronym.replace(/s$/, '');
  const escaped = bare.replace(/&/g, '\\&');
  return new RegExp(
    `\\(${escaped}s?\\)|\\b${escaped}s?\\s*\\((?=[^)]*[a-z])|^\\s*(?:[-*+]\\s+)?\\**${escaped}\\**\\s*(?::|=|\\s[—–-]\\s)`,
    'm',
  ).test(text);
}

/**
 * What a reader could stumble on in `text`, in the order it comes; `previous` is the text of the version it would
 * replace (a baseline has none). A clear text finds nothing.
 */
export function checkClarity(text: string, previous?: string): ClarityFinding[] {
  const findings: ClarityFinding[] = [];
  const all = units(text);
  if (previous !== undefined) {
    const now = wordCount(all.map((u) => u.text).join(' '));
    const before = wordCount(
      units(previous)
        .map((u) => u.text)
        .join(' '),
    );
    if (now > before) {
      findings.push({
        rule: 'longer',
        reason: `${now} words, where the version it replaces has ${before}: keep the standard minimal, each addition earning its place.`,
        where: 'the whole text',
      });
    }
  }
  const reported = new Set<string>();
  for (const unit of all) {
    const where = { where: at(unit), line: unit.line };
    const vague = (pattern: RegExp, rule: ClarityRule, reason: (said: string) => string) => {
      const said = pattern.exec(unit.text)?.[0];
      if (said) findings.push({ rule, reason: reason(said), ...where, excerpt: said });
    };
    for (const v of VAGUE) vague(v.pattern, 'vague', (said) => `"${said}" ${v.reason}`);
    vague(
      SHOULD,
      'should',
      (said) => `"${said}" reads as optional: write "must" where it is required, "may" where it is not.`,
    );
    for (const sentence of sentencesOf(unit.text)) {
      const often = OFTEN.exec(sentence)?.[0];
      if (often && !PERIOD.test(sentence)) {
        findings.push({
          rule: 'regularly',
          reason: `"${often}" without a period: say how often ("every shift", "each Monday").`,
          ...where,
          excerpt: often,
        });
      }
      const words = wordCount(sentence);
      if (unit.kind !== 'heading' && words > SENTENCE_WORDS_MAX) {
        findings.push({
          rule: 'long-sentence',
          reason: `A sentence of ${words} words (more than ${SENTENCE_WORDS_MAX}): split it.`,
          ...where,
          excerpt: firstWords(sentence),
        });
      }
    }
    vague(
      ASAP,
      'asap',
      (said) => `"${said}" sets no deadline: say by when ("within 2 hours", "before the shift ends").`,
    );
    if (unit.kind === 'step' && !hasDoer(unit.text)) {
      findings.push({
        rule: 'no-actor',
        reason: 'No one is named to do this step: start it with who does it ("Shift lead: …").',
        ...where,
        excerpt: firstWords(unit.text),
      });
    }
    // A shouted heading or line is emphasis, not a run of acronyms.
    const letters = unit.text.replace(/[^\p{L}]/gu, '');
    if (letters.length > 0 && letters === letters.toUpperCase() && wordCount(unit.text) >= 3) continue;
    for (const match of unit.text.matchAll(ACRONYM)) {
      const acronym = match[0];
      const key = acronym.replace(/s$/, '');
      if (reported.has(key) || KNOWN.has(key) || KNOWN.has(acronym) || /^[IVXLC]+$/.test(key)) continue;
      if (!/[A-Z].*[A-Z]/.test(key) || spelledOut(acronym, text)) continue;
      reported.add(key);
      findings.push({
        rule: 'acronym',
        reason: `"${key}" is never spelled out: write it in full once, like "Warehouse Management System (WMS)".`,
        ...where,
        excerpt: key,
      });
    }
  }
  return findings;
}

/**
 * The check of a version's text as the version keeps it (`previous`: the text of the version it replaces, if any);
 * null for a version without text (one that only links to its document), which the check cannot judge.
 */
export function textClarity(text: string, previous?: string): TextClarity | null {
  if (text.trim() === '') return null;
  const findings = checkClarity(text, previous);
  return { findings: findings.length, rules: [...new Set(findings.map((f) => f.rule))] };
}
