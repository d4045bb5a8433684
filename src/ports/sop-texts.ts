/**
 * The ports of what standards say: each version's text (Markdown) and, where the organisation keeps its documents
 * elsewhere, a link to the document; and the text a change request proposes for the next version. Kept apart from
 * `../ports.ts` (which re-exports them).
 *
 * There is no way to change a version's text here, on purpose (seed §8): it is written with the version (its
 * baseline, or the release that makes it, from the texts its approved change requests propose) and stays as it was.
 * A new text is a new version.
 */
import type { TextClarity } from '../domain/clarity.ts';

export interface SopText {
  sopKey: string;
  major: number;
  minor: number;
  /** Markdown; empty when the version only links to its document. */
  text: string;
  link: string | null;
  createdByPersonId: number | null;
  createdAt: Date;
  /** What the clarity check found in the text when it was written (for the scorecard); null: no text, or not kept. */
  clarity: TextClarity | null;
}

export interface SopTextRepository {
  /** What a version says, or undefined when the bot holds nothing for it. */
  get(sopKey: string, version: { major: number; minor: number }): Promise<SopText | undefined>;
  /** Writes a new version's text; false, and nothing written, when that version has one already. */
  add(text: Omit<SopText, 'createdAt' | 'clarity'> & { clarity?: TextClarity | null }): Promise<boolean>;
}

/**
 * The text of its standard a change request proposes: the whole text (Markdown), written against the version that
 * was current when it was proposed. Unlike a version's text it is a proposal: a revision of a request sent back
 * replaces it. It becomes a version's text only through the release that ships the request.
 */
export interface ChangeText {
  changeNumber: number;
  text: string;
  /** The version it was written against; null when the standard had no version yet (a new standard). */
  base: { major: number; minor: number } | null;
  updatedAt: Date;
}

export interface ChangeTextRepository {
  /** The text a change request proposes, or undefined when it proposes none. */
  get(changeNumber: number): Promise<ChangeText | undefined>;
  /** Of these change requests, those that propose a text, by change number. */
  many(changeNumbers: readonly number[]): Promise<ChangeText[]>;
  /** Writes (or, for a revision, replaces) a request's proposed text; `null` takes it away. */
  put(changeNumber: number, text: string | null, base: ChangeText['base']): Promise<void>;
}
