// Makes the package importable by its own name (`import ... from 'fedpg-lab'`) from notebooks/ and
// scripts inside this checkout: node_modules/fedpg-lab -> .. (tslab resolves modules the Node10 way,
// which has no self-reference through "exports"). Run by `npm run build:link`, which scripts/setup.sh runs after npm ci.
const { existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } = require('node:fs');
const { join } = require('node:path');

const link = join(__dirname, '..', 'node_modules', 'fedpg-lab');
mkdirSync(join(__dirname, '..', 'node_modules'), { recursive: true });
if (existsSync(link) || (() => { try { return lstatSync(link).isSymbolicLink(); } catch { return false; } })()) unlinkSync(link);
symlinkSync('..', link, 'dir');
