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

// The package's entries (docs/api.md): a curated main entry, and subpath entries that re-export whole folders.
const SUBPATHS: Record<string, string[]> = {
  notebook: ['notebook'],
  plot: ['plot'],
  analysis: ['analysis'],
  experiments: ['experiments'],
  baselines: ['baselines'],
  internals: ['core', 'mdp', 'policy', 'estimators', 'algorithms', 'runs'],
};
// Entry points, not modules of the library: the entries, the CLI and the sweep's worker-thread entry.
const ENTRIES = ['src/index.ts', ...Object.keys(SUBPATHS).map((e) => `src/${e}.ts`), 'src/cli.ts', 'src/experiments/worker.ts'];
const all = exportsOf(sourceFiles(join(root, 'src')));
const publicNames = all.get('src/index.ts') as string[];
const internalNames = all.get('src/internals.ts') as string[];

test('each subpath entry re-exports every module of its folders, so every export of every module is reachable and a new helper needs no entry edit', () => {
  for (const [entry, folders] of Object.entries(SUBPATHS)) {
    const text = readFileSync(join(root, 'src', `${entry}.ts`), 'utf8');
    const reexported = new Set([...text.matchAll(/export \* from '\.\/([^']+)';/g)].map((m) => `src/${m[1]}.ts`));
    const modules = [...all.keys()].filter((f) => folders.includes(f.split('/')[1]) && !ENTRIES.includes(f));
    assert.deepEqual(modules.filter((f) => !reexported.has(f)), [], `src/${entry}.ts misses modules of ${folders.join(', ')}`);
    assert.deepEqual([...reexported].filter((f) => !modules.includes(f)), [], `src/${entry}.ts re-exports modules of other folders`);
  }
  // The curated entry selects: each of its names is also in the subpath or internals entry of its module.
  const elsewhere = new Set(Object.keys(SUBPATHS).flatMap((e) => all.get(`src/${e}.ts`) as string[]));
  assert.deepEqual(publicNames.filter((n) => !elsewhere.has(n)), [], 'names only the main entry exports');
});

test('the main entry is curated (small, internals left out) and docs/api.md documents every one of its names', () => {
  assert.ok(publicNames.length <= 200, `the main entry exports ${publicNames.length} names: curate it (the rest belongs to a subpath)`);
  for (const n of ['xoshiroNext', 'luFactor', 'gmres', 'buildAlias', 'sampleAlias', 'checkFinite', 'requireOptional', 'buildRun', 'writeAtomic', 'show', 'seriesFigure', 'plateau']) {
    assert.ok(!publicNames.includes(n), `${n} belongs to a subpath entry, not the main entry`);
  }
  for (const n of ['xoshiroNext', 'luFactor', 'gmres', 'buildAlias', 'sampleAlias', 'checkFinite', 'requireOptional', 'buildRun']) assert.ok(internalNames.includes(n), `${n} is missing from fedpg-lab/internals`);
  const doc = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  const codeSpans = [...doc.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join(' ');
  const undocumented = publicNames.filter((n) => !new RegExp(`\\b${n}\\b`).test(codeSpans));
  assert.deepEqual(undocumented, [], 'public names missing from docs/api.md');
});

test('every name of the subpath entries is documented where it is defined (TSDoc), which is its documentation', () => {
  const files = Object.keys(SUBPATHS).filter((e) => e !== 'internals').map((e) => join(root, 'src', `${e}.ts`));
  const program = ts.createProgram(files, { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: ['node'], esModuleInterop: true, noEmit: true });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const f of files) {
    for (const s of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(f) as ts.SourceFile) as ts.Symbol)) {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      const documented = ts.displayPartsToString(target.getDocumentationComment(checker)).trim() !== '' || target.getJsDocTags(checker).length > 0;
      if (!documented) missing.push(`${relative(root, target.declarations?.[0]?.getSourceFile().fileName ?? f)}: ${s.name}`);
    }
  }
  assert.deepEqual(missing, [], 'exports without a TSDoc comment');
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
test('every subpath entry (`fedpg-lab/internals`, `/notebook`, `/plot`, `/analysis`, `/experiments`, `/baselines`) resolves with its types under tslab’s TypeScript 5.0 (Node10) and at run time', (t) => {
  const dir = mkdtempSync(join(root, 'notebooks', '.api-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'check.ts');
  writeFileSync(
    file,
    "import { xoshiroNext, luFactor } from 'fedpg-lab/internals';\nimport { garnet } from 'fedpg-lab';\nimport { show } from 'fedpg-lab/notebook';\nimport { seriesFigure } from 'fedpg-lab/plot';\nimport { plateau } from 'fedpg-lab/analysis';\nimport { parseExperiment } from 'fedpg-lab/experiments';\nimport { ditto } from 'fedpg-lab/baselines';\nconst n: number = luFactor.length + xoshiroNext.length + show.length + seriesFigure.length + plateau.length + parseExperiment.length;\nexport const ok: string = typeof garnet + n + ditto.name;\n",
  );
  const tsc = join(root, 'node_modules', '@tslab', 'typescript-for-tslab', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--skipLibCheck', '--lib', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node', '--types', 'node', '--strict', file], { encoding: 'utf8', cwd: root });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const run = spawnSync(process.execPath, ['-e', "console.log(['internals', 'notebook', 'plot', 'analysis', 'experiments', 'baselines'].map((e) => Object.keys(require('fedpg-lab/' + e)).length > 0).join(' '))"], { encoding: 'utf8', cwd: join(root, 'notebooks') });
  assert.equal(run.stdout.trim(), 'true true true true true true', run.stderr);
});
