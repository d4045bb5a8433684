/**
 * The font every chart is drawn with: Inter (SIL Open Font License 1.1, © The Inter Project Authors), from the npm
 * package @expo-google-fonts/inter, whose LICENSE_FONT carries the licence. resvg draws no text without a font and a
 * server may have none installed, so the PNG renderer loads these files explicitly and never the system's.
 */
import { createRequire } from 'node:module';

/** The family name inside the bundled font files. */
export const CHART_FONT_FAMILY = 'Inter';

const FILES = ['400Regular/Inter_400Regular.ttf', '700Bold/Inter_700Bold.ttf'];

let resolved: string[] | undefined;

/** Absolute paths of the bundled TTF files (regular and bold). */
export function chartFontFiles(): string[] {
  if (resolved) return resolved;
  const require = createRequire(import.meta.url);
  resolved = FILES.map((file) => require.resolve(`@expo-google-fonts/inter/${file}`));
  return resolved;
}
