import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..');

// tslab compiles notebook cells with its own TypeScript 5.0.4 (lib ES2022, Node10 resolution): the emitted
// declarations must type-check there (no `Float64Array<…>` generics, no ES2023+ lib types).
test('dist/*.d.ts type-check under tslab’s bundled TypeScript 5.0', () => {
  const tsc = join(root, 'node_modules', '@tslab', 'typescript-for-tslab', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--lib', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node', '--types', 'node', '--strict', join(root, 'dist', 'index.d.ts'), join(root, 'dist', 'internals.d.ts')], { encoding: 'utf8', cwd: root });
  // Only our own declarations are judged: third-party typings (danfojs-node's) are skipped by tslab's
  // skipLibCheck, and TS 5.0 reports errors in them that are not ours to fix.
  const ours = `${r.stdout}${r.stderr}`.split('\n').filter((line) => /error TS\d+/.test(line) && !line.startsWith('node_modules/'));
  assert.deepEqual(ours, [], `tsc 5.0 reported errors in fedpg-lab's declarations:\n${ours.join('\n')}`);
  assert.ok(r.status === 0 || /node_modules\//.test(r.stdout), `tsc did not run:\n${r.stdout}${r.stderr}`);
  const version = spawnSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).stdout;
  assert.match(version, /5\.0\./);
});

// tslab parses every declaration file a notebook's imports reach before the first cell runs. The public
// entry point must not reach playwright-core's (2 MB: ≈ 0.4 s more before every notebook's first figure).
test('dist/index.d.ts and dist/notebook.d.ts do not make TypeScript read playwright-core’s declarations', () => {
  const tsc = join(root, 'node_modules', '@tslab', 'typescript-for-tslab', 'bin', 'tsc');
  for (const entry of ['index', 'notebook']) {
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--listFilesOnly', '--lib', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node', '--types', 'node', '--skipLibCheck', join(root, 'dist', `${entry}.d.ts`)], { encoding: 'utf8', cwd: root });
    const files = r.stdout.split('\n').filter(Boolean);
    if (entry === 'notebook') assert.ok(files.some((f) => f.endsWith('dist/notebook/chromium.d.ts')), `the listing reached the renderer's declarations:\n${r.stdout}${r.stderr}`);
    assert.deepEqual(files.filter((f) => f.includes('/playwright-core/')), [], entry);
  }
});
