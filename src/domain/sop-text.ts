/**
 * A standard's text per version (issue 11): the baseline form `sop new` opens (key, title, owner, text, link), how
 * people name a version (`v1.0`), and the value a "Show more" button carries to find the next page again. Pure.
 */
import { normaliseSopKey, SOP_KEY_PATTERN, type SopVersion, versionText } from './sop.ts';

export const SOP_FORM_FIELDS = ['key', 'title', 'owner', 'text', 'link'] as const;
export type SopFormField = (typeof SOP_FORM_FIELDS)[number];
export type SopFormErrors = Partial<Record<SopFormField, string>>;

export const SOP_TEXT_LIMITS = {
  title: 120,
  /** About ten printed pages: longer belongs in the linked document. */
  text: 40_000,
  link: 1000,
} as const;

/** What a baseline is registered with: its key and title, and what v1.0 says (its text, its document's link). */
export interface BaselineInput {
  key: string;
  title: string;
  text?: string;
  link?: string;
}

const field = (raw: Record<string, unknown>, name: SopFormField) => {
  const value = raw[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** Line endings unified and trailing blank space dropped: the text as it will be kept. */
export const normaliseText = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();

/** A link people can open: http(s), no spaces, of a sane length. */
export function isDocumentLink(text: string): boolean {
  if (text.length > SOP_TEXT_LIMITS.link || /\s/.test(text) || !URL.canParse(text)) return false;
  return /^https?:$/.test(new URL(text).protocol);
}

/** Checks the `sop new` form; the owner is the platform's to read (a person), so it is not checked here. */
export function validateSopForm(
  raw: Record<string, unknown>,
): { ok: true; value: BaselineInput } | { ok: false; errors: SopFormErrors } {
  const errors: SopFormErrors = {};
  const key = normaliseSopKey(field(raw, 'key'));
  const title = field(raw, 'title').replace(/\s+/g, ' ');
  const text = normaliseText(typeof raw.text === 'string' ? raw.text : '');
  const link = field(raw, 'link');
  if (!SOP_KEY_PATTERN.test(key)) {
    errors.key = 'Give the standard a key of letters, digits and dashes, like inventory-scanning.';
  }
  if (!title) errors.title = 'Give the standard a title.';
  else if (title.length > SOP_TEXT_LIMITS.title)
    errors.title = `Keep the title under ${SOP_TEXT_LIMITS.title} characters.`;
  if (text.length > SOP_TEXT_LIMITS.text) {
    errors.text = `The text has ${text.length.toLocaleString('en')} characters, more than ${SOP_TEXT_LIMITS.text.toLocaleString('en')}: keep the standard minimal, or link to its document and keep the essentials here.`;
  }
  if (link && !isDocumentLink(link)) errors.link = 'Give the link as a web address, starting with https://.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { key, title, ...(text ? { text } : {}), ...(link ? { link } : {}) } };
}

/** `v1.0`, `V2.3`, `1.0` → the version; anything else → undefined. */
export function parseVersion(text: string): SopVersion | undefined {
  const match = /^v?(\d{1,4})\.(\d{1,4})$/i.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** What a "Show more" button asks for: the next page of a version's text, or of a diff. */
export type MoreRequest =
  | { kind: 'show'; key: string; version: SopVersion; page: number }
  | { kind: 'diff'; key: string; from: SopVersion; to: SopVersion; page: number };

const VERSION = String.raw`v\d{1,4}\.\d{1,4}`;
const MORE_VALUE = new RegExp(`^(show|diff):([a-z0-9-]{2,60}):(${VERSION})(?::(${VERSION}))?:(\\d{1,4})$`);

export function moreValue(request: MoreRequest): string {
  const versions =
    request.kind === 'show' ? versionText(request.version) : `${versionText(request.from)}:${versionText(request.to)}`;
  return `${request.kind}:${request.key}:${versions}:${request.page}`;
}

export function parseMoreValue(value: string): MoreRequest | undefined {
  const match = MORE_VALUE.exec(value);
  if (!match) return undefined;
  const [, kind, key = '', first = '', second, page = '0'] = match;
  const a = parseVersion(first);
  const b = second === undefined ? undefined : parseVersion(second);
  const n = Number(page);
  if (!a || n < 1 || !SOP_KEY_PATTERN.test(key)) return undefined;
  if (kind === 'show') return second === undefined ? { kind, key, version: a, page: n } : undefined;
  return b ? { kind: 'diff', key, from: a, to: b, page: n } : undefined;
}
