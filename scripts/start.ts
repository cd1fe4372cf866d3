/**
 * `npm start`: Jupyter Notebook on notebooks/ with the project's TypeScript (tslab) kernel, token
 * authentication on (Jupyter's default: the URL with the token is printed below).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureKernel, ROOT } from './notebooks';

const jupyterPath = ensureKernel();
const args = ['notebook', `--notebook-dir=${join(ROOT, 'notebooks')}`, ...process.argv.slice(2)];
console.log(`JUPYTER_PATH=${jupyterPath} jupyter ${args.join(' ')}`);
const child = spawn('jupyter', args, { stdio: 'inherit', env: { ...process.env, JUPYTER_PATH: jupyterPath } });
child.on('exit', (code) => process.exit(code ?? 0));
