import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..');
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(join(root, f)) && !/\.(png|pdf|svg|gz|lock)$/.test(f) && f !== 'package-lock.json');

// The design notes the team works from are not part of the project: no file may point at them.
test('no project file points at documents outside the repository', () => {
  const forbidden = ['PAPER' + '.md', 'DESIGN' + '.md', '../' + 'shared'];
  const hits = tracked.flatMap((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    return forbidden.filter((w) => text.includes(w)).map((w) => `${f}: ${w}`);
  });
  assert.deepEqual(hits, []);
});

// Pages other work adds to docs/ (the plug-in, cluster and parameter pages); tolerated only while missing.
const PENDING = new Set(['docs/plugins.md']);

test('every relative link in README.md, docs/ and data/ READMEs resolves to a file of the repository', (t) => {
  const pages = tracked.filter((f) => f.endsWith('.md'));
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(join(root, page), 'utf8');
    for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      const path = join(dirname(page), target);
      if (existsSync(join(root, path))) continue;
      if (PENDING.has(path)) t.diagnostic(`${page} → ${target}: not written yet (pending)`);
      else broken.push(`${page} → ${target}`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(pages.includes('docs/paper.md') && pages.includes('docs/architecture.md') && pages.includes('docs/README.md'));
});
