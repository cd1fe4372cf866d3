/**
 * `npm start`: classic Jupyter Notebook on the project folder, where the shipped notebooks (notebooks/),
 * your own (workspace/, git-ignored) and the executed copies (build/notebooks/) sit side by side, with the
 * project's TypeScript (tslab) kernel, the served plotly.js and the project-local trust database (so the
 * executed copies open trusted). Token authentication stays on (Jupyter's default: the URL with the token
 * is printed below). Run as root (a container, the setup's machine), Jupyter refuses to start without
 * --allow-root, which is added then; everything else passes through: `npm start -- --port 9000`.
 */
import { spawn } from 'node:child_process';
import { ROOT, jupyterEnv } from './notebooks';

const env = jupyterEnv();
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const extra = process.argv.slice(2);
const args = ['notebook', `--notebook-dir=${ROOT}`, ...(asRoot && !extra.includes('--allow-root') ? ['--allow-root'] : []), ...extra];
if (asRoot) console.log('npm start: running as root, so Jupyter gets --allow-root (it refuses root otherwise); prefer an ordinary user where you can.');
console.log(`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} jupyter ${args.join(' ')}`);
console.log('Open notebooks/ for the shipped notebooks, workspace/ for your own, build/notebooks/ for the executed copies.');
const child = spawn('jupyter', args, { stdio: 'inherit', env: { ...process.env, ...env } });
// Ctrl-C reaches Jupyter directly (same terminal): it asks to confirm and shuts its kernels down, and this
// process waits for it instead of leaving it behind. A SIGTERM sent to this process is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 0));
