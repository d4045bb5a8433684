/**
 * What standards say, for both platforms (issue 11): the baseline form `sop new` opens (key, title, owner, text,
 * link), a version's text a page at a time (`sop show <key> vX.Y` and "Show more"), and the lines one version adds
 * and removes against another (`sop diff <key> vA vB`). Anyone reads; only the CoE registers a baseline.
 *
 * Nothing here changes a version's text once written (seed §8): the baseline's is written when it is registered,
 * and the next version's comes with the release that makes it — the seam where change requests that carry proposed
 * text will write it (`repos.sopTexts.add` for the new version, never an update).
 */
import { CoeError } from '../domain/errors.ts';
import { coeCommand, type Message } from '../domain/message.ts';
import { may, type PersonRef } from '../domain/people.ts';
import { compareVersions, FIRST_VERSION, type SopVersion, sopId, versionText } from '../domain/sop.ts';
import { parseMoreValue, type SopFormErrors, validateSopForm } from '../domain/sop-text.ts';
import {
  type DiffView,
  diffMessage,
  diffPageCount,
  pageCount,
  versionTextMessage,
} from '../domain/sop-text-messages.ts';
import { lineDiff } from '../domain/text-diff.ts';
import type { Repositories, Sop, Store } from '../ports.ts';
import { BaselineFieldError, type StandardsService } from './standards.ts';

export interface SopTextRequest {
  actor: PersonRef;
  /** The inbound interaction's idempotency key. */
  key: string;
}

/** What the `sop new` form offers: who may own a standard (the CoE and managers the bot knows). */
export interface SopFormOptions {
  owners: { id: number; name: string }[];
}

export type SopFormResult = { ok: false; errors: SopFormErrors } | { ok: true; confirmation: Message };

const OUT_OF_DATE = 'That button is out of date. Nothing was changed.';

/** A standard's versions, oldest first: its baseline (v1.0) if registered as one, then its releases. */
async function versionsOf(repos: Repositories, sop: Sop): Promise<SopVersion[]> {
  const releases = (await repos.sops.releases(sop.key)).map((r) => ({ major: r.major, minor: r.minor }));
  return [...(sop.baseline ? [FIRST_VERSION] : []), ...releases].sort(compareVersions);
}

export class SopTextService {
  constructor(
    private readonly store: Store,
    private readonly standards: StandardsService,
  ) {}

  /** The `sop new` form's choices; refused to anyone but the CoE, before a form opens. */
  async formOptions(actor: PersonRef): Promise<SopFormOptions> {
    return this.store.read(async (repos) => {
      const person = await repos.people.find(actor);
      if (!person || !may(person.layer, 'manageSops')) {
        throw new CoeError('PERMISSION.DENIED', 'Only CoE members register standards.');
      }
      const people = await repos.people.withLayers(['coe', 'manager']);
      return { owners: people.map((p) => ({ id: p.id, name: p.displayName ?? `person ${p.id}` })) };
    });
  }

  /**
   * The `sop new` form: the baseline registered with what v1.0 says, or what to fix under each field (nothing
   * stored). The owner is a person named on the platform (Slack's picker) or one of the offered owners.
   */
  async submit(
    request: SopTextRequest,
    raw: Record<string, unknown>,
    owner?: PersonRef | { id: number },
  ): Promise<SopFormResult> {
    await this.formOptions(request.actor);
    const checked = validateSopForm(raw);
    if (!checked.ok) return checked;
    const { key, title, text, link } = checked.value;
    try {
      const confirmation = await this.standards.registerSop(request, key, title, {
        ...(text ? { text } : {}),
        ...(link ? { link } : {}),
        ...(owner ? { owner } : {}),
      });
      return { ok: true, confirmation };
    } catch (error) {
      if (error instanceof BaselineFieldError) return { ok: false, errors: { [error.field]: error.userMessage } };
      throw error;
    }
  }

  /** `sop show <key> vX.Y`: anyone; what that version says, page `page`. */
  async show(key: string, version: SopVersion, page = 1): Promise<Message> {
    return this.store.read(async (repos) => {
      const { sop, versions } = await this.standard(repos, key);
      this.known(key, versions, version);
      const content = await repos.sopTexts.get(key, version);
      const view = {
        key,
        title: sop.title,
        version,
        current: versions.at(-1),
        text: content?.text ?? '',
        link: content?.link ?? null,
      };
      if (page > Math.max(1, pageCount(view.text))) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
      return versionTextMessage(view, page);
    });
  }

  /** `sop diff <key> vA [vB]`: anyone; the lines vB (else the current version) adds and removes against vA. */
  async diff(key: string, from: SopVersion, to?: SopVersion, page = 1): Promise<Message> {
    return this.store.read(async (repos) => {
      const { sop, versions } = await this.standard(repos, key);
      const target = to ?? versions.at(-1);
      if (!target) throw new CoeError('NOT_FOUND', `${sopId(key)} has no version yet: there is nothing to compare.`);
      this.known(key, versions, from);
      this.known(key, versions, target);
      if (compareVersions(from, target) === 0) {
        throw new CoeError(
          'INPUT.INVALID',
          `Name two different versions, like ${coeCommand(`sop diff ${key} ${versionText(FIRST_VERSION)} v1.1`)}.`,
        );
      }
      const [before, after] = [await repos.sopTexts.get(key, from), await repos.sopTexts.get(key, target)];
      const missing = [before ? undefined : from, after ? undefined : target].filter((v) => v !== undefined);
      if (missing.length > 0) {
        throw new CoeError(
          'NOT_FOUND',
          `The bot holds no text for ${missing.map(versionText).join(' or ')} of ${sopId(key)}, so there is nothing to compare line by line.`,
        );
      }
      const view: DiffView = {
        key,
        title: sop.title,
        from,
        to: target,
        diff: lineDiff(before?.text ?? '', after?.text ?? ''),
        links: { from: before?.link ?? null, to: after?.link ?? null },
      };
      if (page > Math.max(1, diffPageCount(view))) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
      return diffMessage(view, page);
    });
  }

  /** "Show more": the next page of what the button names, as it stands (a version's text never changes). */
  async more(value: string): Promise<Message> {
    const request = parseMoreValue(value);
    if (!request) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
    return request.kind === 'show'
      ? this.show(request.key, request.version, request.page)
      : this.diff(request.key, request.from, request.to, request.page);
  }

  private async standard(repos: Repositories, key: string): Promise<{ sop: Sop; versions: SopVersion[] }> {
    const sop = await repos.sops.get(key);
    if (!sop) {
      throw new CoeError(
        'NOT_FOUND',
        `There is no ${sopId(key)}. See the registered standards with ${coeCommand('sop list')}.`,
      );
    }
    return { sop, versions: await versionsOf(repos, sop) };
  }

  /** Refuses a version the standard does not have, naming those it has. */
  private known(key: string, versions: readonly SopVersion[], version: SopVersion): void {
    if (versions.some((v) => compareVersions(v, version) === 0)) return;
    const has =
      versions.length > 0 ? `its versions are ${versions.map(versionText).join(', ')}` : 'it has no version yet';
    throw new CoeError('NOT_FOUND', `${sopId(key)} has no ${versionText(version)}: ${has}.`);
  }
}
