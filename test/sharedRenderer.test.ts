import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { seriesFigure } from '../src/plot';
import { closeRenderer, renderFigure } from '../src/notebook';
import { RENDERER_ENV, startSharedRenderer } from '../src/notebook';

const root = join(__dirname, '..');
const rows = ['a', 'b'].flatMap((s, i) => [1, 2, 3].map((t) => ({ s, t, y: (i + 1) * t * t })));
// As the child processes get it: through JSON (which drops the keys whose value is undefined).
const figure = JSON.parse(JSON.stringify(seriesFigure(rows, { x: 't', y: 'y', series: ['s'], label: (k) => `series ${k.s}`, title: 'Shared renderer check' })));

/**
 * An SVG with plotly.js's random ids (the plot's uid in defs, clip paths and legend, each trace's uid) made
 * equal and each element's attributes sorted (plotly.js sets some in a different order on a page's first draw).
 */
const canonical = (svg: string) =>
  svg
    .replace(/(defs-|topdefs-|clip|legend|trace)[0-9a-f]{6}/g, '$1#')
    .replace(/<([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g, (_, tag: string, attrs: string, close: string) => `<${tag}${(attrs.match(/\s+[\w:-]+="[^"]*"/g) ?? []).map((a) => a.trim()).sort().map((a) => ` ${a}`).join('')}${close}>`);

/** Render `figure` as SVG and PDF in a fresh process with `env` (what a notebook kernel does). */
function renderInChild(env: NodeJS.ProcessEnv): { svg: string; pdfHead: string; stderr: string; status: number | null } {
  const code = `
    const { renderFigure, closeRenderer } = require(${JSON.stringify(join(root, 'src', 'notebook.ts'))});
    (async () => {
      const svg = await renderFigure(${JSON.stringify(figure)}, 'svg');
      const pdf = await renderFigure(${JSON.stringify(figure)}, 'pdf');
      await closeRenderer();
      process.stdout.write(JSON.stringify({ svg, pdfHead: pdf.subarray(0, 5).toString() }));
    })().catch((e) => { console.error(e.message); process.exit(3); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', cwd: root, env: { ...process.env, ...env } });
  const out = r.status === 0 ? (JSON.parse(r.stdout) as { svg: string; pdfHead: string }) : { svg: '', pdfHead: '' };
  return { ...out, stderr: r.stderr, status: r.status };
}

test('processes given FEDPG_RENDERER draw in the shared Chromium the same figures as their own Chromium draws', async () => {
  const own = (await renderFigure(figure, 'svg')) as string;
  assert.notEqual(canonical(own), own, 'the ids the comparison ignores are there');
  await closeRenderer();
  const shared = await startSharedRenderer();
  try {
    assert.match(shared.endpoint, /^ws:\/\/127\.0\.0\.1:\d+\//);
    // Two processes one after the other: the first detaching leaves the shared page for the next.
    for (let k = 0; k < 2; k++) {
      const r = renderInChild({ [RENDERER_ENV]: shared.endpoint });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(canonical(r.svg), canonical(own), 'the SVG drawn in the shared renderer is the one drawn in a private Chromium');
      assert.equal(r.pdfHead, '%PDF-');
    }
  } finally {
    await shared.close();
  }
  // Closed: a process still pointed at it says so instead of hanging.
  const r = renderInChild({ [RENDERER_ENV]: shared.endpoint });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /connect|ECONNREFUSED/i);
});

test('PDFs printed at the same time each hold their own figure (they share one page, one after another)', async () => {
  const titled = (title: string) => JSON.parse(JSON.stringify(seriesFigure(rows, { x: 't', y: 'y', series: ['s'], title })));
  const titles = ['First PDF', 'Second PDF', 'Third PDF'];
  try {
    const pdfs = (await Promise.all(titles.map((t) => renderFigure(titled(t), 'pdf', { metadata: { title: t } })))) as Buffer[];
    // Chromium writes the document's <title> as the PDF's /Title (UTF-16BE hex or a literal string).
    const titleOf = (pdf: Buffer) => {
      const raw = pdf.toString('latin1');
      const hex = /\/Title\s*<FEFF([0-9A-F]+)>/i.exec(raw);
      if (hex) return Buffer.from(hex[1], 'hex').swap16().toString('utf16le');
      return /\/Title\s*\(([^)]*)\)/.exec(raw)?.[1];
    };
    assert.deepEqual(pdfs.map(titleOf), titles);
  } finally {
    await closeRenderer();
  }
});
