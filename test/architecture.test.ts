import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// The folders of src/ in import order (docs/architecture.md): a module imports only modules of its own
// folder or of folders to its left, and no chain of imports (type-only ones included) comes back to its start.
const LAYERS = ['core', 'mdp', 'policy', 'estimators', 'algorithms', 'baselines', 'runs', 'experiments', 'analysis', 'plot', 'notebook'];
// Entry points compose the layers: the package's entries, the CLI and the sweep's worker-thread entry.
const ENTRIES = new Set(['src/index.ts', 'src/internals.ts', 'src/notebook.ts', 'src/plot.ts', 'src/analysis.ts', 'src/experiments.ts', 'src/baselines.ts', 'src/cli.ts', 'src/experiments/worker.ts']);

const root = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of a file (import/export … from, bare imports, require), resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(root, resolve(dirname(file), s)).replace(/\.(js|ts)$/, '') + '.ts');
}

const files = sourceFiles(join(root, 'src')).map((f) => relative(root, f));
const graph = new Map(files.map((f) => [f, importsOf(join(root, f)).filter((t) => files.includes(t))]));

test('the import graph of src/ has no cycle (type-only imports included)', () => {
  // Tarjan's strongly connected components: a component of more than one file is a cycle.
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, order.get(w) as number));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of files) if (!order.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('every module imports only its own folder or folders to its left (core → … → notebook)', () => {
  const layer = (f: string) => LAYERS.indexOf(f.split('/')[1]);
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    if (ENTRIES.has(from)) continue;
    assert.ok(layer(from) >= 0, `${from} is in no layer of docs/architecture.md`);
    for (const to of targets) if (layer(to) > layer(from)) wrong.push(`${from} → ${to}`);
  }
  assert.deepEqual(wrong, []);
});
