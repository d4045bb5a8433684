/**
 * The port of what each version of a standard says: its text (Markdown) and, where the organisation keeps its
 * documents elsewhere, a link to the document. Kept apart from `../ports.ts` (which re-exports it).
 *
 * There is no way to change a text here, on purpose (seed §8): a version's text is written with the version (its
 * baseline, or — the seam for change requests carrying proposed text — the release that makes it) and stays as it
 * was. A new text is a new version.
 */

export interface SopText {
  sopKey: string;
  major: number;
  minor: number;
  /** Markdown; empty when the version only links to its document. */
  text: string;
  link: string | null;
  createdByPersonId: number | null;
  createdAt: Date;
}

export interface SopTextRepository {
  /** What a version says, or undefined when the bot holds nothing for it. */
  get(sopKey: string, version: { major: number; minor: number }): Promise<SopText | undefined>;
  /** Writes a new version's text; false, and nothing written, when that version has one already. */
  add(text: Omit<SopText, 'createdAt'>): Promise<boolean>;
}
