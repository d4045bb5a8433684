/**
 * The layering rules of ARCHITECTURE.md, checked over the source text: `domain/` and `services/` stay free of
 * platforms, the database and schedulers, `domain/` depends on nothing outside itself, and no module imports itself
 * through others (an import circle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/** Import, `export … from`, side-effect import, `import x = require()` and dynamic `import()` specifiers. */
const IMPORT_PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Comments removed, so a commented-out import neither counts nor hides one. String contents are kept. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"\\])\/\/.*$/gm, '$1');
}

function importsOf(source: string): string[] {
  const code = stripComments(source);
  return IMPORT_PATTERNS.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => m[1] as string));
}

const FORBIDDEN_PACKAGES = [
  /^@slack\//,
  /^botbuilder/,
  /^botframework-/,
  /^@prisma\//,
  /^pg(\/|$)/,
  /^@electric-sql\//,
  /^node-cron(\/|$)/,
  // Operators' metrics go through the Telemetry port (src/ports/telemetry.ts); prom-client stays in src/telemetry.ts.
  /^prom-client(\/|$)/,
];
const FORBIDDEN_DIRS = ['platforms', 'db', 'jobs', 'generated'].map((d) => join(SRC, d));

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

/** What is wrong with `specifier` imported from `file` (absolute), or undefined. */
function violation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    const dir = FORBIDDEN_DIRS.find((d) => inside(target, d));
    if (dir) return `imports ${relative(ROOT, target)} (src/${relative(SRC, dir)})`;
    if (inside(file, join(SRC, 'domain')) && !inside(target, join(SRC, 'domain'))) {
      return `imports ${relative(ROOT, target)}, outside src/domain`;
    }
    return undefined;
  }
  if (FORBIDDEN_PACKAGES.some((p) => p.test(specifier))) return `imports the package ${specifier}`;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(m|c)?[jt]sx?$/.test(entry.name) ? [path] : [];
  });
}

function violations(dir: string): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const problem = violation(file, specifier);
      return problem ? [`${relative(ROOT, file)} ${problem}`] : [];
    }),
  );
}

/** Each file's imports of other files in `files` (relative specifiers, type-only ones included). */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      importsOf(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('.'))
        .map((s) => resolve(dirname(file), s))
        .filter((target) => known.has(target)),
    ]),
  );
}

/** A circle of files told from its alphabetically first, which it ends with again: the same whatever the walk. */
function fromFirst(ring: string[]): string[] {
  const start = ring.indexOf([...ring].sort()[0] ?? '');
  const told = [...ring.slice(start), ...ring.slice(0, start)];
  return [...told, told[0] ?? ''];
}

/** The import circles of `graph`, each as the files around it, the first again at the end. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(fromFirst(path.slice(path.indexOf(next))));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

/** Circles there are, to be untied by the work that next touches them (then taken off here): none now. */
const KNOWN_CIRCLES: string[] = [];

describe('architecture', () => {
  it.each(['domain', 'services'])('src/%s imports no platform, database or scheduler code', (layer) => {
    const files = sourceFiles(join(SRC, layer));
    expect(files.length).toBeGreaterThan(0);
    expect(violations(join(SRC, layer))).toEqual([]);
  });

  it('src/domain imports nothing outside src/domain', () => {
    const outside = sourceFiles(join(SRC, 'domain')).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('.') && !inside(resolve(dirname(file), s), join(SRC, 'domain')))
        .map((s) => `${relative(ROOT, file)} imports ${s}`),
    );
    expect(outside).toEqual([]);
  });

  it('src has no import circles (src/generated is not ours)', () => {
    const files = sourceFiles(SRC).filter((file) => !inside(file, join(SRC, 'generated')));
    const found = circles(importGraph(files)).map((circle) => circle.map((f) => relative(SRC, f)).join(' → '));
    expect(found).toEqual(KNOWN_CIRCLES);
  });

  describe('the scanner itself', () => {
    const service = join(SRC, 'services', 'example.ts');
    const domain = join(SRC, 'domain', 'example.ts');
    const scan = (file: string, source: string) =>
      importsOf(source).flatMap((s) => {
        const problem = violation(file, s);
        return problem ? [problem] : [];
      });

    it('finds every form of import', () => {
      const source = `
        import { App } from '@slack/bolt';
        import type { Activity } from "botbuilder";
        import * as cron from 'node-cron';
        import '../db/client.ts';
        import {
          PrismaClient,
        } from '../generated/prisma/client.ts';
        export { sender } from '../platforms/slack/sender.ts';
        export * from '../jobs/index.ts';
        const pg = await import('pg');
        const lite = await import ( '@electric-sql/pglite' );
        const legacy = require('botframework-connector');
        import { PrismaPg } from '@prisma/adapter-pg';
      `;
      expect(importsOf(source)).toHaveLength(11);
      expect(scan(service, source)).toEqual([
        'imports the package @slack/bolt',
        'imports the package botbuilder',
        'imports the package node-cron',
        'imports src/db/client.ts (src/db)',
        'imports src/generated/prisma/client.ts (src/generated)',
        'imports src/platforms/slack/sender.ts (src/platforms)',
        'imports src/jobs/index.ts (src/jobs)',
        'imports the package @prisma/adapter-pg',
        'imports the package pg',
        'imports the package @electric-sql/pglite',
        'imports the package botframework-connector',
      ]);
    });

    it('allows the ports, the domain, Node built-ins and look-alike names', () => {
      const source = `
        import type { Store } from '../ports.ts';
        import { message } from '../domain/message.ts';
        import { randomUUID } from 'node:crypto';
        import { z } from 'zod';
        import pgp from 'pg-promise-is-not-pg';
        // import { App } from '@slack/bolt';
        /* import '../db/client.ts'; */
        const text = 'see https://example.com/db';
      `;
      expect(scan(service, source)).toEqual([]);
    });

    it('finds an import circle, and not a shared import', () => {
      const graph = new Map([
        ['a', ['b', 'd']],
        ['b', ['c']],
        ['c', ['a', 'd']],
        ['d', []],
      ]);
      expect(circles(graph)).toEqual([['a', 'b', 'c', 'a']]);
      expect(circles(new Map([...graph, ['a', ['d']], ['d', ['b']], ['c', ['d']]]))).toEqual([['b', 'c', 'd', 'b']]);
      expect(circles(new Map([...graph, ['c', ['d']]]))).toEqual([]);
    });

    it('keeps the domain to itself', () => {
      expect(scan(domain, `import type { Store } from '../ports.ts';`)).toEqual([
        'imports src/ports.ts, outside src/domain',
      ]);
      expect(scan(domain, `import { may } from './people.ts';`)).toEqual([]);
      expect(scan(domain, `import x from '../domain/../services/coe-admin.ts';`)).toEqual([
        'imports src/services/coe-admin.ts, outside src/domain',
      ]);
    });
  });
});
