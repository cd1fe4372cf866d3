import { ValidationError } from './errors';

/**
 * JSON as the project reads its files: `JSON.parse`, and then refused when an object repeats a key
 * (`JSON.parse` keeps the last value silently: an experiment file giving `rounds` twice would run the second).
 * The error names the path of the repeated key (`parameters.rounds`, `agentTransitions[1].dense`) and
 * `source`. Syntax errors are `JSON.parse`'s, prefixed with `source`.
 */
export function parseStrictJSON(text: string, source: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('', text.length, `${source}: not valid JSON (${(e as Error).message})`);
  }
  const repeated = repeatedKey(text);
  if (repeated) throw new ValidationError(repeated.path, repeated.key, `${source}: ${repeated.path} is given twice (JSON would keep the last value silently): give each key once`);
  return value;
}

/** An object or an array being scanned, with the path of its values. */
interface Frame {
  array: boolean;
  path: string;
  keys: Set<string>;
  /** Objects: the key whose value comes next; arrays: the index of the next value. */
  key: string;
  index: number;
  /** Objects: whether the next string is a key. */
  expectKey: boolean;
}

const pathOf = (f: Frame) => (f.array ? `${f.path}[${f.index}]` : f.path === '' ? f.key : `${f.path}.${f.key}`);

/** The first repeated key of a syntactically valid JSON text, with its path; undefined when none. */
export function repeatedKey(text: string): { path: string; key: string } | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  let path = '';
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: find its closing quote (a quote preceded by an odd number of backslashes is escaped).
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        let b = j - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j++;
      }
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        top.key = key;
        if (top.keys.has(key)) return { path: pathOf(top), key };
        top.keys.add(key);
        top.expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      const top = stack[stack.length - 1];
      path = top ? pathOf(top) : '';
      stack.push({ array: c === 0x5b, path, keys: new Set(), key: '', index: 0, expectKey: c === 0x7b });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top.array) top.index++;
      else top.expectKey = true;
    }
  }
  return undefined;
}
