// Builds the Teams app package (`npm run teams:package`): manifests/teams/build/coe-teams.zip holding manifest.json,
// color.png and outline.png at the zip root, ready for "Upload a custom app" or the Teams admin center.
//
// Environment (a `.env` file in the working directory is read too; a variable already set wins, as at runtime):
//   MICROSOFT_APP_ID  the bot's Microsoft App ID; replaces the placeholder GUID in `id`, `bots[].botId` and
//                     `composeExtensions[].botId`
//   BOT_DOMAIN        the public host name the bot runs on (e.g. coe.contoso.com); replaces coe-bot.example.com
//
// Only node built-ins: a small ZIP writer (local file headers, central directory, end record; CRC32 from zlib.crc32,
// deflate from zlib.deflateRawSync). Timestamps are fixed, so the same inputs always give the same bytes.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import zlib from 'node:zlib';

export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_DOMAIN = 'coe-bot.example.com';
export const TEAMS_MANIFEST_DIR = fileURLToPath(new URL('../manifests/teams/', import.meta.url));
export const DEFAULT_OUT_PATH = join(TEAMS_MANIFEST_DIR, 'build', 'coe-teams.zip');
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'];

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** A configuration mistake the operator can fix; the CLI prints only its message. */
export class TeamsPackageError extends Error {
  name = 'TeamsPackageError';
}

/**
 * Returns the manifest to ship: the placeholder app id (top-level `id`, every `bots[].botId` and
 * `composeExtensions[].botId`) replaced by `appId`
 * and the placeholder domain (URLs, validDomains) replaced by `botDomain`, each only when given.
 */
export function renderTeamsManifest(manifestText, { appId, botDomain } = {}) {
  if (appId !== undefined && !GUID.test(appId)) {
    throw new TeamsPackageError(
      `MICROSOFT_APP_ID must be the bot's Microsoft App ID, a GUID like 1b2c3d4e-0000-4000-8000-123456789abc; got "${appId}"`,
    );
  }
  if (botDomain !== undefined && !HOST_NAME.test(botDomain)) {
    throw new TeamsPackageError(
      `BOT_DOMAIN must be a bare host name like coe.contoso.com (no https://, port or path); got "${botDomain}"`,
    );
  }
  const text = botDomain === undefined ? manifestText : manifestText.split(PLACEHOLDER_DOMAIN).join(botDomain);
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new TeamsPackageError(`manifests/teams/manifest.json is not valid JSON: ${error.message}`);
  }
  if (appId !== undefined) {
    if (manifest.id === PLACEHOLDER_APP_ID) manifest.id = appId;
    for (const bot of [...(manifest.bots ?? []), ...(manifest.composeExtensions ?? [])]) {
      if (bot.botId === PLACEHOLDER_APP_ID) bot.botId = appId;
    }
  }
  return manifest;
}

// ---------------------------------------------------------------------------------------------------------------
// ZIP writer (APPNOTE.TXT 4.3): [local header + data]… central directory, end of central directory record.

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01, the DOS epoch: fixed so builds are reproducible
const VERSION_NEEDED = 20; // 2.0: deflate
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

/** Builds a ZIP archive from `[{ name, data }]`; each entry is deflated unless that would not make it smaller. */
export function createZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const useDeflate = deflated.length < data.length;
    const body = useDeflate ? deflated : data;
    const method = useDeflate ? METHOD_DEFLATED : METHOD_STORED;
    const flags = /[^\x20-\x7e]/.test(name) ? 0x0800 : 0; // bit 11: the name is UTF-8

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, nameBytes, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_NEEDED, 4); // version made by (MS-DOS attributes)
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number start
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42); // offset of the local header
    centrals.push(central, nameBytes);

    offset += local.length + nameBytes.length + body.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, centralDirectory, end]);
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Writes the Teams app package to `outPath` (parent folders are created) and returns what went in. `appId` and
 * `botDomain` are optional; leave them out to keep the placeholders.
 */
export function buildTeamsPackage({
  outPath = DEFAULT_OUT_PATH,
  appId,
  botDomain,
  sourceDir = TEAMS_MANIFEST_DIR,
} = {}) {
  for (const file of PACKAGE_FILES) {
    if (!existsSync(join(sourceDir, file))) {
      const hint = file.endsWith('.png') ? ' (run `node scripts/make-teams-icons.mjs`)' : '';
      throw new TeamsPackageError(`missing ${join(sourceDir, file)}${hint}`);
    }
  }
  const manifest = renderTeamsManifest(readFileSync(join(sourceDir, 'manifest.json'), 'utf8'), { appId, botDomain });
  const zip = createZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    { name: 'color.png', data: readFileSync(join(sourceDir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(sourceDir, 'outline.png')) },
  ]);
  const target = resolve(outPath);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  writeFileSync(partial, zip);
  renameSync(partial, target); // never leave a half-written zip behind
  return { outPath: target, bytes: zip.length, files: [...PACKAGE_FILES], appId: manifest.id, manifest };
}

/** Reads one variable: the environment wins; then `.env` in the working directory; empty counts as unset. */
function setting(name, dotEnv) {
  const value = (process.env[name] ?? dotEnv[name] ?? '').trim();
  return value === '' ? undefined : value;
}

function main() {
  const envFile = resolve('.env');
  const dotEnv = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const appId = setting('MICROSOFT_APP_ID', dotEnv);
  const botDomain = setting('BOT_DOMAIN', dotEnv);
  try {
    const result = buildTeamsPackage({ appId, botDomain });
    console.log(`Teams app package written to ${result.outPath} (${result.bytes} bytes: ${result.files.join(', ')})`);
    if (appId === undefined) {
      console.warn(
        `warning: MICROSOFT_APP_ID is not set, so the package keeps the placeholder id ${PLACEHOLDER_APP_ID}; ` +
          'set it to your bot registration’s app id before uploading to Teams',
      );
    }
    if (botDomain === undefined) {
      console.warn(`note: BOT_DOMAIN is not set, so the package keeps ${PLACEHOLDER_DOMAIN} in its URLs`);
    }
  } catch (error) {
    if (!(error instanceof TeamsPackageError)) throw error;
    console.error(`teams:package: ${error.message}`);
    process.exit(2);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main();
}
