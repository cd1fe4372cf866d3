import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FedPGError } from '../core/errors';

/**
 * One writer per results folder. `<folder>/lock` holds `{ pid, host, started }` of the process that owns the
 * folder. It is created exclusively (written under a private name, then hard-linked to `lock`, which fails
 * with EEXIST when a lock exists: the O_EXCL guarantee, with the content complete before anyone can read
 * it). A lock whose owner is on this host and no longer running is taken over; a live owner, or an owner on
 * another host (whose liveness cannot be checked), makes acquisition fail naming the owner.
 */

/** Who holds a lock. */
export interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

/** A held lock: release it exactly once (in a `finally`). */
export interface FolderLock {
  path: string;
  release(): void;
}

/** Whether process `pid` of this host is running (EPERM: it runs under another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Take the lock of `folder` (which must exist) for this process. `onTakeOver` is told when a dead owner's
 * lock is replaced.
 */
export function acquireLock(folder: string, onTakeOver: (message: string) => void): FolderLock {
  const path = join(folder, 'lock');
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const mine = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(mine, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = readOwner(path);
      if (!owner) {
        throw new FedPGError(`results folder ${folder} is locked by ${path}, whose owner cannot be read; if no sweep or merge is writing to this folder, delete ${path}`);
      }
      const who = `pid ${owner.pid} on host ${owner.host} (since ${owner.started})`;
      const dead = owner.host === me.host && owner.pid !== process.pid && !alive(owner.pid);
      if (!dead || attempt > 0) {
        const self = owner.host === me.host && owner.pid === process.pid ? ', this process' : '';
        const remote = owner.host !== me.host ? `; its liveness cannot be checked from ${me.host}: if it is no longer running, delete ${path}` : '';
        throw new FedPGError(`results folder ${folder} is in use by another sweep or merge: ${path} is held by ${who}${self}${remote}`);
      }
      rmSync(path, { force: true });
      onTakeOver(`took over the lock ${path} of pid ${owner.pid} on host ${owner.host}, which is no longer running`);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      const owner = readOwner(path);
      if (owner && owner.pid === me.pid && owner.host === me.host && owner.started === me.started) rmSync(path, { force: true });
    },
  };
}
