// The first step of `npm run reproduce`: `npm run build` when dist/ is missing or older than what it is built
// from, make's rule file by file (every src/**/*.ts against its dist/**/*.js, every src/**/*.wat against its .wasm, the
// tsconfig files and package.json against the oldest output, plotly.js's bundle present); otherwise nothing. The quick start
// runs `npm ci` and `npm run build:link` (which builds) just before, so the main job does not compile the package twice.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : -Infinity);
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

function staleReason() {
  const pairs = walk(join(root, 'src'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => [f, join(root, 'dist', relative(join(root, 'src'), f)).replace(/\.ts$/, '.js')]);
  for (const f of walk(join(root, 'src')).filter((f) => f.endsWith('.wat'))) {
    pairs.push([f, join(root, 'dist', relative(join(root, 'src'), f)).replace(/\.wat$/, '.wasm')]);
  }
  let oldest = Infinity;
  for (const [input, output] of pairs) {
    const out = mtime(output);
    if (out < mtime(input)) return `${relative(root, output)} is ${out === -Infinity ? 'missing' : `older than ${relative(root, input)}`}`;
    oldest = Math.min(oldest, out);
  }
  for (const config of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    if (mtime(join(root, config)) > oldest) return `${config} is newer than dist/`;
  }
  if (!existsSync(join(root, 'dist', 'plotly.min.js'))) return 'dist/plotly.min.js is missing';
  return null;
}

const reason = staleReason();
if (reason === null) {
  console.log('dist/ is up to date with src/: build skipped');
} else {
  console.log(`building dist/ (${reason})`);
  const run = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
