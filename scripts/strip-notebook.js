#!/usr/bin/env node
// The git "clean" filter for notebooks (installed by scripts/setup.sh; docs/notebooks.md): what git stores
// of a .ipynb is the notebook without outputs, execution counts, trust signature or per-session metadata,
// written the way nbformat writes it (keys sorted, one-space indent, trailing newline). The file on disk
// keeps its outputs; only the commit is stripped. Reads the notebook on stdin, writes it on stdout; with
// file arguments, strips those files in place (`node scripts/strip-notebook.js notebooks/*.ipynb`).
// Plain Node, no dependencies: it runs in every git command that reads a notebook.
const { readFileSync, writeFileSync } = require('node:fs');

/** Cell metadata Jupyter writes while a notebook is used, not part of its content. */
const SESSION_CELL_KEYS = ['execution', 'collapsed', 'scrolled', 'trusted', 'ExecuteTime'];

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  return value;
}

/** The stripped notebook text of a notebook's text (unparseable input is returned unchanged: git must not lose a file). */
function stripNotebook(text) {
  let nb;
  try {
    nb = JSON.parse(text);
  } catch {
    return text;
  }
  if (!nb || !Array.isArray(nb.cells)) return text;
  for (const cell of nb.cells) {
    if (cell.metadata) for (const k of SESSION_CELL_KEYS) delete cell.metadata[k];
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  if (nb.metadata) {
    delete nb.metadata.signature;
    delete nb.metadata.widgets;
    // The kernel fills language_info (version, mimetype, …) on every save; its name is what identifies it.
    if (nb.metadata.language_info) nb.metadata.language_info = { name: nb.metadata.language_info.name };
  }
  return `${JSON.stringify(sortKeys(nb), null, 1)}\n`;
}

module.exports = { stripNotebook };

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) process.stdout.write(stripNotebook(readFileSync(0, 'utf8')));
  for (const f of files) writeFileSync(f, stripNotebook(readFileSync(f, 'utf8')));
}
