import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { missingMessage, OPTIONAL_PEERS } from '../src/internals';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The exported names (values and types) of each file, read by the TypeScript checker. */
function exportsOf(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: ['node'], esModuleInterop: true, noEmit: true });
  const checker = program.getTypeChecker();
  return new Map(
    files.map((f) => {
      const symbol = checker.getSymbolAtLocation(program.getSourceFile(f) as ts.SourceFile);
      return [relative(root, f), symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []];
    }),
  );
}

// Entry points, not modules of the library: the CLI and the sweep's worker-thread entry.
const ENTRIES = ['src/index.ts', 'src/internals.ts', 'src/cli.ts', 'src/experiments/worker.ts'];
const all = exportsOf(sourceFiles(join(root, 'src')));
const publicNames = all.get('src/index.ts') as string[];
const internalNames = all.get('src/internals.ts') as string[];

test('every export of a module is either public (index.ts) or internal (internals.ts), never both', () => {
  const both = publicNames.filter((n) => internalNames.includes(n));
  assert.deepEqual(both, [], 'names exported by both entries');
  const unreachable: string[] = [];
  for (const [file, names] of all) {
    if (ENTRIES.includes(file)) continue;
    for (const n of names) if (!publicNames.includes(n) && !internalNames.includes(n)) unreachable.push(`${file}: ${n}`);
  }
  assert.deepEqual(unreachable, [], 'exports reachable from neither entry: add each to index.ts (public) or internals.ts');
});

test('the public API leaves internals out and docs/api.md documents every public name', () => {
  for (const n of ['xoshiroNext', 'luFactor', 'gmres', 'buildAlias', 'sampleAlias', 'checkFinite', 'requireOptional', 'buildRun', 'writeAtomic']) {
    assert.ok(!publicNames.includes(n), `${n} is internal but exported from the main entry`);
    assert.ok(internalNames.includes(n), `${n} is missing from fedpg-lab/internals`);
  }
  const doc = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  const codeSpans = [...doc.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join(' ');
  const undocumented = publicNames.filter((n) => !new RegExp(`\\b${n}\\b`).test(codeSpans));
  assert.deepEqual(undocumented, [], 'public names missing from docs/api.md');
});

test('the optional peers in core/optional.ts are package.json’s peerDependencies, devDependencies and overrides', () => {
  const peers = pkg.peerDependencies as Record<string, string>;
  assert.deepEqual(Object.keys(OPTIONAL_PEERS).sort(), Object.keys(peers).sort());
  for (const [name, peer] of Object.entries(OPTIONAL_PEERS)) {
    assert.equal(peer.version, peers[name], `${name}: version`);
    assert.equal(pkg.devDependencies[name], peers[name], `${name} must stay installed for the workspace (devDependencies)`);
    assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} must be an optional peer`);
    assert.ok(!(name in pkg.dependencies), `${name} must not be a dependency of the core`);
  }
  // The overrides the message tells a researcher to add are exactly the ones this repository installs with.
  assert.deepEqual(OPTIONAL_PEERS['danfojs-node'].overrides, pkg.overrides);
  const overridesLine = missingMessage('danfojs-node', 'loadResults').split('\n').find((l) => l.includes('"overrides"')) as string;
  assert.deepEqual(JSON.parse(`{${overridesLine.trim()}}`).overrides, pkg.overrides, 'the overrides line is valid package.json');
  assert.deepEqual(Object.keys(pkg.dependencies), ['seedrandom'], 'the core depends on seedrandom only');
});

test('require("fedpg-lab") loads none of the optional peers', () => {
  const script = `require(${JSON.stringify(join(root, 'dist', 'index.js'))});
    const loaded = Object.keys(require.cache).filter((p) => /node_modules[\\/](danfojs-node|tslab|playwright-core|@tensorflow)[\\/]/.test(p));
    console.log(JSON.stringify(loaded));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});

// tslab compiles cells with TypeScript 5.0 and Node10 resolution, which ignores package.json "exports":
// the top-level internals.js / internals.d.ts shims make the subpath and its types resolve there.
test('`fedpg-lab/internals` resolves with its types under tslab’s TypeScript 5.0 (Node10) and at run time', (t) => {
  const dir = mkdtempSync(join(root, 'notebooks', '.api-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'check.ts');
  writeFileSync(file, "import { xoshiroNext, luFactor } from 'fedpg-lab/internals';\nimport { garnet } from 'fedpg-lab';\nconst n: number = luFactor.length + xoshiroNext.length;\nexport const ok: string = typeof garnet + n;\n");
  const tsc = join(root, 'node_modules', '@tslab', 'typescript-for-tslab', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--skipLibCheck', '--lib', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node', '--types', 'node', '--strict', file], { encoding: 'utf8', cwd: root });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const run = spawnSync(process.execPath, ['-e', "console.log(typeof require('fedpg-lab/internals').xoshiroNext)"], { encoding: 'utf8', cwd: join(root, 'notebooks') });
  assert.equal(run.stdout.trim(), 'function', run.stderr);
});
