import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..');
const MAX_INSTALL_BYTES = 100e6;

/** Bytes of the files under `dir` (symlinks counted as links, not followed). */
function installedBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += installedBytes(path);
    else total += lstatSync(path).size;
  }
  return total;
}

/** The npm registry answers (a metadata request for seedrandom, the core's one dependency), or why not. */
async function registryUnreachable(): Promise<string | null> {
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/?$/, '/');
  try {
    const res = await fetch(`${registry}seedrandom`, { signal: AbortSignal.timeout(10_000) });
    return res.ok ? null : `${registry} answered HTTP ${res.status}`;
  } catch (e) {
    return `${registry} is unreachable (${(e as Error).message})`;
  }
}

// What a researcher's own project does: `npm pack` this package, `npm install` the tarball into an empty
// project with no overrides of its own (dependencies from the registry), and run a federated round with
// plain node. The core must install without the workspace's optional packages (Danfo, tslab, Playwright),
// stay small, and say exactly what to install when a workspace function is called.
test('npm pack → install into an empty project → a federated round runs; the install is lean', { timeout: 300_000 }, async (t) => {
  const unreachable = await registryUnreachable();
  if (unreachable) {
    t.skip(`needs the npm registry: ${unreachable}`);
    return;
  }
  assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
  const work = mkdtempSync(join(tmpdir(), 'fedpg-pack-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  // --ignore-scripts: dist/ is already built by `npm test` (and no packing script should run in a test).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' })) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  const tarball = join(work, packed[0].filename);
  const shipped = packed[0].files.map((f) => f.path);
  for (const entry of ['internals', 'notebook', 'plot', 'analysis', 'experiments', 'baselines']) {
    assert.ok(shipped.includes(`${entry}.js`) && shipped.includes(`${entry}.d.ts`) && shipped.includes(`dist/${entry}.js`), `the ${entry} entry is shipped`);
  }
  assert.ok(!shipped.some((p) => p.startsWith('test/') || p.startsWith('notebooks/') || p.startsWith('src/')), 'tests, notebooks and sources are not shipped');

  const project = join(work, 'consumer');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8', timeout: 240_000 });
  assert.equal(install.status, 0, `npm install of the tarball failed:\n${install.stdout}\n${install.stderr}`);
  // At npm's default log level, a researcher's install prints no warning: the package has no install-time
  // script (a "prepare" script, whose build files are not shipped, made npm warn about it).
  assert.doesNotMatch(`${install.stdout}\n${install.stderr}`, /npm warn|npm WARN/, 'the install warns');
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'fedpg-lab', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.ok(!(hook in (manifest.scripts ?? {})), `the installed package has a "${hook}" script`);

  const bytes = installedBytes(join(project, 'node_modules'));
  const packages = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));
  t.diagnostic(`tarball ${(packed[0].size / 1e6).toFixed(2)} MB (unpacked ${(packed[0].unpackedSize / 1e6).toFixed(2)} MB); installed node_modules ${(bytes / 1e6).toFixed(2)} MB: ${packages.join(', ')}`);
  assert.ok(bytes < MAX_INSTALL_BYTES, `installed size ${(bytes / 1e6).toFixed(1)} MB ≥ 100 MB`);
  for (const peer of ['danfojs-node', 'tslab', 'playwright-core', 'plotly.js-dist']) assert.ok(!packages.includes(peer), `${peer} was installed into the consumer`);

  // Plain node, in the consumer project: the core works, the workspace parts name what to install.
  const script = `
    const lab = require('fedpg-lab');
    const internals = require('fedpg-lab/internals');
    const analysis = require('fedpg-lab/analysis');
    const plot = require('fedpg-lab/plot');
    const notebook = require('fedpg-lab/notebook');
    const problem = lab.garnet({ states: 8, actions: 3, branching: 3, agents: 3, gamma: 0.9, heterogeneity: 0.5, seed: 1 });
    const run = lab.createRun(problem, { algorithm: 'fast-fedpg', localSteps: 3, stepSize: 0.1, seed: 1,
      oracle: { kind: 'sampled', horizon: 20, batch: 4, estimator: 'gpomdp' } });
    const trace = run.step();
    const { traces } = run.runFor(2);
    const round = run.round, J = run.history[run.history.length - 1].J;
    let danfoError = null;
    try { analysis.toFrame(run.history.map((r) => ({ round: r.round, J: r.J }))); } catch (e) { danfoError = { name: e.name, message: e.message }; }
    let frameError = null;
    try { run.runFor(1).history; } catch (e) { frameError = e.name; }
    let exportError = null;
    notebook.renderFigure(plot.seriesFigure([{ x: 1, y: 2 }], { x: 'x', y: 'y' }), 'svg').catch((e) => { exportError = e.name; }).finally(() => {
      console.log(JSON.stringify({ round, J, envSteps: trace.envSteps,
        traces: traces.length, xoshiro: typeof internals.xoshiroNext, danfoError, frameError, exportError }));
    });`;
  const ran = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8', env: { ...process.env, FEDPG_CHROMIUM: process.execPath } });
  assert.equal(ran.status, 0, `the consumer's script failed:\n${ran.stderr}`);
  const out = JSON.parse(ran.stdout.trim().split('\n').pop() as string);
  assert.equal(out.round, 3);
  assert.ok(Number.isFinite(out.J) && out.J > 0, `J after 3 rounds: ${out.J}`);
  assert.equal(out.envSteps, 3 * (3 + 1) * 4 * 20, 'one Fast-FedPG round costs N(H+1)MK environment steps');
  assert.equal(out.traces, 2);
  assert.equal(out.xoshiro, 'function', 'require("fedpg-lab/internals") resolves in the consumer');
  assert.equal(out.danfoError?.name, 'MissingDependencyError', `toFrame without danfojs-node: ${JSON.stringify(out.danfoError)}`);
  assert.match(out.danfoError.message, /toFrame/);
  assert.match(out.danfoError.message, /"xlsx": "0\.18\.5"/);
  assert.match(out.danfoError.message, /"@tensorflow\/tfjs-node": "npm:@tensorflow\/tfjs@3\.21\.0"/);
  assert.match(out.danfoError.message, /npm install danfojs-node@\^1\.2\.0/);
  assert.equal(out.frameError, 'MissingDependencyError', 'runFor(…).history reads a frame: it needs danfojs-node');
  assert.equal(out.exportError, 'MissingDependencyError', 'renderFigure without playwright-core');
});
