// Writes dist/plotly.min.js: plotly.js-dist's bundle (11 MB) minified with esbuild (≈ 4.9 MB), the copy
// that notebooks inline once per page and that the static exporter loads into Chromium. Run by `build`.
// plotly.js is MIT-licensed; its licence header is kept at the top.
const { readFileSync, writeFileSync, mkdirSync, existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const src = require.resolve('plotly.js-dist/plotly.js');
const out = join(__dirname, '..', 'dist', 'plotly.min.js');
if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) process.exit(0);
const { version } = require('plotly.js-dist/package.json');
const code = require('esbuild').transformSync(readFileSync(src, 'utf8'), { minify: true, legalComments: 'none', target: 'es2017' }).code;
mkdirSync(join(__dirname, '..', 'dist'), { recursive: true });
writeFileSync(out, `/*! plotly.js v${version} | (c) Plotly, Inc. | MIT License | https://github.com/plotly/plotly.js */\n${code}`);
console.log(`bundle-plotly: wrote ${out} (${(code.length / 1e6).toFixed(1)} MB)`);
