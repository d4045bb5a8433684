/**
 * Where the embedded database lives: DATA_DIR, trimmed, or `./data` when it is unset or blank. One rule for the
 * configuration (`config.ts`) and for `main.ts`, which opens an existing database before the configuration's
 * validator has loaded: the folder it opens early must be the one the configuration names.
 */
export function embeddedDataDir(raw: string | undefined): string {
  return raw?.trim() || './data';
}
