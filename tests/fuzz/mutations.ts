/**
 * The hostile half of the fuzz suite: odd and huge strings, junk values, and mutations of a well-formed payload
 * (a field removed, set to null or to the wrong type, an object turned into an array, extra fields). Mutations are
 * data (`Mutation`), applied to a copy of the payload, so fast-check can shrink them and print them.
 */
import fc from 'fast-check';

/** 100 KB, the size the suite throws at every string field it can reach. */
export const HUGE_LENGTH = 100_000;

/** Characters that break naive text handling: bidi controls, zero-width ones, NUL, emoji, lone surrogates. */
export const ODD_PIECES = [
  '\u200f', // right-to-left mark
  '\u202e', // right-to-left override
  '\u2066\u2069', // isolates
  '\u200b\u200c\u200d\u2060\ufeff', // zero-width space, joiners, word joiner, BOM
  '\u0000',
  '\u0007\u001b[31m',
  '\r\n',
  '\t',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  'e\u0301\u0301\u0301',
  'ﷺ',
  'مرحبا',
  '<@U0HOSTILE|x>',
  '<!channel>',
  '<#C0HOSTILE|general>',
  '*bold* _it_ ~s~ `c`',
  '<at>CoE</at>',
  "'; DROP TABLE friction_report; --",
  '%00%ff%',
  '&amp;&lt;&gt;',
  '__proto__',
  'constructor',
  'FR-1',
  'CR-1',
  'FR-0',
  'FR-99999999999',
  '-1',
  'NaN',
  '1e308',
  '{"a":',
  '\\',
] as const;

/** A short odd string: pieces from ODD_PIECES, and raw UTF-16 (lone surrogates included). */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_PIECES),
  fc.array(fc.constantFrom(...ODD_PIECES), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** A 100 KB string of one repeated piece (cheap to make, and to shrink: only the piece changes). */
export const hugeString: fc.Arbitrary<string> = fc
  .constantFrom('a', ' ', 'é', '\u200b', '\u202e', '😀', '\u0000', '<@U1>')
  .map((piece) => piece.repeat(Math.ceil(HUGE_LENGTH / piece.length)).slice(0, HUGE_LENGTH));

/** Anything a careless or hostile client may put where a value belongs. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  { arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, Number.MAX_VALUE, true, false), weight: 3 },
  { arbitrary: fc.constantFrom('', ' ', 'null', 'undefined', '[]', '{}'), weight: 2 },
  { arbitrary: oddString, weight: 4 },
  { arbitrary: fc.constantFrom([], {}, [null], [[]], { '': null }), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 2 },
  { arbitrary: hugeString, weight: 1 },
);

/** `arb` in one case of ten, null otherwise. */
export const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: arb, weight: 1 });

export type Mutation =
  /** Remove the value at path number `at` (no-op on the root). */
  | { op: 'delete'; at: number }
  /** Replace it. */
  | { op: 'set'; at: number; value: unknown }
  /** Wrap it in an array: an array where an object (or a string) belongs. */
  | { op: 'wrap'; at: number }
  /** Replace an object or array with its own JSON text. */
  | { op: 'stringify'; at: number }
  /** Add a field to the object at (or holding) that path. */
  | { op: 'add'; at: number; key: string; value: unknown };

const fieldName = fc.oneof(
  fc.constantFrom('extra', 'type', 'user', 'view', 'actions', 'event', '__proto__', 'constructor', 'payload', ''),
  oddString,
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: junkValue }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('wrap' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('stringify' as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fieldName, value: junkValue }),
    weight: 2,
  },
);

/**
 * Half the cases well-formed, half with up to three mutations; none (a well-formed request) is where shrinking ends
 * up when the input does not matter.
 */
export const mutations: fc.Arbitrary<Mutation[]> = fc.oneof(
  { arbitrary: fc.constant<Mutation[]>([]), weight: 1 },
  { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }), weight: 1 },
);

type Path = (string | number)[];
type Json = Record<string, unknown>;

const isContainer = (value: unknown): value is Json | unknown[] => typeof value === 'object' && value !== null;

/** Every path in `value`, breadth first: the root, then its fields, then theirs. Low numbers stay near the top. */
export function pathsOf(value: unknown): Path[] {
  const paths: Path[] = [[]];
  const queue: [Path, unknown][] = [[[], value]];
  while (queue.length > 0) {
    const [path, node] = queue.shift() as [Path, unknown];
    if (!isContainer(node)) continue;
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : Object.entries(node);
    for (const [key, child] of entries) {
      paths.push([...path, key]);
      queue.push([[...path, key], child]);
    }
  }
  return paths;
}

function get(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = isContainer(node) ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

/** `root` with `fn` applied at `path`; the root itself may be replaced. */
function update(root: unknown, path: Path, fn: (old: unknown, parent: unknown, key: string | number) => unknown) {
  if (path.length === 0) return fn(root, undefined, '');
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1] as string | number;
  if (!isContainer(parent)) return root;
  const replaced = fn((parent as Record<string | number, unknown>)[key], parent, key);
  if (replaced === DELETE) {
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else delete (parent as Json)[key];
  } else {
    // defineProperty: a key like `__proto__` becomes an own field, as JSON.parse would make it.
    Object.defineProperty(parent, key, { value: replaced, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

const DELETE = Symbol('delete');

/** A mutated deep copy of `value` (JSON data only). */
export function applyMutations(value: unknown, list: readonly Mutation[]): unknown {
  let root: unknown = value === undefined ? undefined : structuredClone(value);
  for (const m of list) {
    const paths = pathsOf(root);
    const path = paths[m.at % paths.length] as Path;
    switch (m.op) {
      case 'delete':
        if (path.length > 0) root = update(root, path, () => DELETE);
        break;
      case 'set':
        root = update(root, path, () => structuredClone(m.value));
        break;
      case 'wrap':
        root = update(root, path, (old) => [old]);
        break;
      case 'stringify':
        root = update(root, path, (old) => (isContainer(old) ? JSON.stringify(old) : old));
        break;
      case 'add': {
        const target = isContainer(get(root, path)) ? path : path.slice(0, -1);
        const holder = get(root, target);
        if (isContainer(holder) && !Array.isArray(holder)) {
          Object.defineProperty(holder, m.key, {
            value: structuredClone(m.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        break;
      }
    }
  }
  return root;
}

/** Text for a report: runs of one character longer than 200 written as «x × n», so a 100 KB value stays readable. */
export function abbreviate(text: string, max = 4000): string {
  const short = text.replace(/([\s\S])\1{199,}/gu, (run, ch: string) => `«${JSON.stringify(ch)} × ${run.length}»`);
  const repeated = short.replace(/((?:%[0-9A-F]{2}){1,4})\1{99,}/g, (run, unit: string) => {
    return `«${unit} × ${run.length / unit.length}»`;
  });
  return repeated.length > max ? `${repeated.slice(0, max)}… (${repeated.length} characters)` : repeated;
}
