// Types for scripts/teams-package.mjs, so TypeScript tests can import it.

export declare const PLACEHOLDER_APP_ID: string;
export declare const PLACEHOLDER_DOMAIN: string;
export declare const TEAMS_MANIFEST_DIR: string;
export declare const DEFAULT_OUT_PATH: string;
export declare const PACKAGE_FILES: string[];

export declare class TeamsPackageError extends Error {}

export interface TeamsPackageOptions {
  /** Where to write the zip; default manifests/teams/build/coe-teams.zip. */
  outPath?: string;
  /** The bot's Microsoft App ID (a GUID); replaces the placeholder id and botId when given. */
  appId?: string | undefined;
  /** Bare host name replacing coe-bot.example.com when given. */
  botDomain?: string | undefined;
  /** Folder holding manifest.json, color.png and outline.png; default manifests/teams. */
  sourceDir?: string;
}

export interface TeamsPackageResult {
  outPath: string;
  bytes: number;
  files: string[];
  appId: string;
  manifest: Record<string, unknown>;
}

export declare function renderTeamsManifest(
  manifestText: string,
  options?: { appId?: string | undefined; botDomain?: string | undefined },
): Record<string, unknown>;

export declare function createZip(entries: { name: string; data: Buffer }[]): Buffer;

export declare function buildTeamsPackage(options?: TeamsPackageOptions): TeamsPackageResult;
