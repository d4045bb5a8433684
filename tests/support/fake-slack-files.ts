/**
 * The file-upload part of the fake Slack API (FakeSlackApi.files): the three steps that replaced `files.upload` —
 * `files.getUploadURLExternal` hands out an upload URL served by the fake itself, the bytes are POSTed there (raw, or
 * as multipart form data the way @slack/web-api's `filesUploadV2` sends them), and `files.completeUploadExternal`
 * finishes the upload with a title and, optionally, a channel to share it in — plus `files.info`.
 *
 * What a test can rely on:
 * - Each uploaded file is recorded with its bytes, filename, declared length, alt text, title and channel.
 * - An upload URL accepts one POST; a second, or one to an unknown URL, answers 404.
 * - `files.completeUploadExternal` answers `file_not_found` for an id that was never handed out or whose bytes were not
 *   POSTed yet, and `invalid_arguments` without `files`.
 * - Sharing into a channel is recorded on the file (`files.info` lists it under `shares`); no message is posted.
 * - `files.info` answers `file_not_found` until the upload is complete.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeSlackFile {
  id: string;
  filename: string;
  /** The length given to files.getUploadURLExternal. */
  declaredLength: number;
  altText: string | undefined;
  /** The bytes POSTed to the upload URL; undefined until then. */
  bytes: Buffer | undefined;
  /** Set by files.completeUploadExternal (defaults to the filename, as Slack does). */
  title: string | undefined;
  completed: boolean;
  /** Where files.completeUploadExternal shared it (channel_id, or each of `channels`). */
  channels: string[];
  threadTs: string | undefined;
  initialComment: string | undefined;
}

type Args = Record<string, unknown>;
type Handler = (args: Args) => Record<string, unknown>;

const UPLOAD_PATH = /^\/upload\/v1\/(F[A-Z0-9]+)$/;

export class FakeSlackFiles {
  #files = new Map<string, FakeSlackFile>();
  #counter = 0;

  /** `baseUrl` is the fake's `http://127.0.0.1:port` origin; `fail` answers a call with `{ ok: false, error }`. */
  constructor(
    private readonly baseUrl: () => string,
    private readonly fail: (error: string) => never,
  ) {}

  /** Every file handed an upload URL, oldest first (copies: changing them changes nothing). */
  all(): FakeSlackFile[] {
    return [...this.#files.values()].map((f) => ({ ...f, channels: [...f.channels] }));
  }

  /** The completed uploads only. */
  completed(): FakeSlackFile[] {
    return this.all().filter((f) => f.completed);
  }

  get(id: string): FakeSlackFile | undefined {
    return this.all().find((f) => f.id === id);
  }

  reset(): void {
    this.#files.clear();
  }

  /** True for a request the upload URL answers (it then answered it). */
  async handleUpload(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const match = UPLOAD_PATH.exec(pathname);
    if (!match) return false;
    const file = this.#files.get(match[1] ?? '');
    if (req.method !== 'POST' || !file || file.bytes !== undefined) {
      answer(res, 404, 'not found');
      return true;
    }
    file.bytes = await uploadedBytes(req);
    answer(res, 200, `OK - ${file.bytes.length}`);
    return true;
  }

  readonly methods: Record<string, Handler> = {
    'files.getUploadURLExternal': (args) => {
      const filename = stringArg(args, 'filename');
      const length = Number(stringArg(args, 'length'));
      if (filename === undefined || !Number.isInteger(length) || length <= 0) this.fail('invalid_arguments');
      const id = `F${String(++this.#counter).padStart(9, '0')}`;
      this.#files.set(id, {
        id,
        filename: filename as string,
        declaredLength: length,
        altText: stringArg(args, 'alt_text') ?? stringArg(args, 'alt_txt'),
        bytes: undefined,
        title: undefined,
        completed: false,
        channels: [],
        threadTs: undefined,
        initialComment: undefined,
      });
      return { upload_url: `${this.baseUrl()}/upload/v1/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      const entries = jsonArg(args.files);
      if (!Array.isArray(entries) || entries.length === 0) this.fail('invalid_arguments');
      const channelArg = stringArg(args, 'channel_id') ?? stringArg(args, 'channels');
      const channels = channelArg ? channelArg.split(',').map((c) => c.trim()) : [];
      const files = (entries as Args[]).map((entry) => {
        const file = this.#files.get(String(entry.id));
        if (!file || file.bytes === undefined) this.fail('file_not_found');
        return file as FakeSlackFile;
      });
      for (const [i, file] of files.entries()) {
        file.title = stringArg(entries[i] as Args, 'title') ?? file.filename;
        file.completed = true;
        file.channels = channels;
        file.threadTs = stringArg(args, 'thread_ts');
        file.initialComment = stringArg(args, 'initial_comment');
      }
      return { files: files.map((f) => fileObject(f)) };
    },

    'files.info': (args) => {
      const file = this.#files.get(stringArg(args, 'file') ?? '');
      if (!file?.completed) this.fail('file_not_found');
      return { file: fileObject(file as FakeSlackFile), comments: [], response_metadata: { next_cursor: '' } };
    },
  };
}

/** A file as Slack's file object has it (the fields a bot reads). */
function fileObject(file: FakeSlackFile): Record<string, unknown> {
  const png = pngSize(file.bytes);
  const shares = Object.fromEntries(file.channels.map((c) => [c, [{ ts: '0', channel_name: c.toLowerCase() }]]));
  return {
    id: file.id,
    name: file.filename,
    title: file.title,
    mimetype: png ? 'image/png' : 'application/octet-stream',
    filetype: png ? 'png' : 'binary',
    size: file.bytes?.length ?? 0,
    ...(file.altText ? { alt_txt: file.altText } : {}),
    ...(png ? { original_w: png.width, original_h: png.height } : {}),
    is_public: file.channels.some((c) => c.startsWith('C')),
    channels: file.channels.filter((c) => c.startsWith('C')),
    groups: file.channels.filter((c) => c.startsWith('G')),
    ims: file.channels.filter((c) => c.startsWith('D')),
    shares: file.channels.length > 0 ? { public: shares } : {},
    url_private: `https://files.slack.test/files-pri/T1-${file.id}/${file.filename}`,
  };
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
function pngSize(bytes: Buffer | undefined): { width: number; height: number } | undefined {
  if (!bytes || bytes.length < 24) return undefined;
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The uploaded bytes: the first file of a multipart form (as web-api sends them), else the raw body. */
async function uploadedBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return body;
  const form = await new Request('http://fake.invalid/', {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function stringArg(args: Args, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Form-encoded arrays arrive as JSON text. */
function jsonArg(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
