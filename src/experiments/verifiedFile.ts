import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FedPGError } from '../core/errors';
import { repeatedKey } from '../core/strictJSON';

/**
 * Files that protect themselves. Each is one JSON object `{ format, sha256, …payload }` whose `sha256` is the
 * SHA-256 of the file's own text with that value replaced by 64 zeros, so checking a file is one hash of its
 * bytes (no re-serialisation) and any change of a byte — truncation, an edit — is detected. It is written to
 * a temporary name in the same folder and renamed, so a reader sees the old file or the new one, never half
 * of one; a file that is truncated, edited or of another format fails `readVerified` with a message naming it.
 */

/** A file that exists but cannot be trusted: truncated, not JSON, another format, or a checksum mismatch. */
export class CorruptFileError extends FedPGError {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Suffix of temporary files; only the holder of a results folder's lock removes them (lock.ts). */
export const TMP_SUFFIX = '.tmp';

/** Write a file atomically: a temporary name in the same directory, then rename. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}${TMP_SUFFIX}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const ZEROS = '0'.repeat(64);
/** The checksum field: the first `"sha256"` key of the file, which `verifiedText` puts right after `format`. */
const CHECKSUM_FIELD = /"sha256":\s*"([0-9a-f]{64})"/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The text of a verified file: format, checksum, then the payload's fields in their order. */
export function verifiedText(format: string, payload: Record<string, unknown>, indent?: number): string {
  const unsigned = `${JSON.stringify({ format, sha256: ZEROS, ...payload }, null, indent)}\n`;
  return unsigned.replace(CHECKSUM_FIELD, (field) => field.replace(ZEROS, sha256(unsigned)));
}

/** Write `payload` under `format` with its checksum, atomically. */
export function writeVerified(path: string, format: string, payload: Record<string, unknown>, indent?: number): void {
  writeAtomic(path, verifiedText(format, payload, indent));
}

/**
 * Read a file written by `writeVerified` and check it: the checksum, JSON, and the expected format. Returns
 * the payload (without `format` and `sha256`); throws CorruptFileError naming the file otherwise. A missing
 * file is not corrupt: it throws the ordinary ENOENT error (check existence first).
 */
export function readVerified<T>(path: string, format: string): T {
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CorruptFileError(path, `not valid JSON (${text.length} bytes; truncated?): ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CorruptFileError(path, 'is not a JSON object');
  const repeated = repeatedKey(text);
  if (repeated) throw new CorruptFileError(path, `gives ${repeated.path} twice (a file fedpg-lab writes never does: edited)`);
  const { format: found, sha256: stated, ...payload } = parsed as Record<string, unknown>;
  if (found !== format) throw new CorruptFileError(path, `format is ${JSON.stringify(found)}, expected "${format}"`);
  const field = CHECKSUM_FIELD.exec(text);
  if (typeof stated !== 'string' || !field || field[1] !== stated) throw new CorruptFileError(path, 'has no sha256 checksum');
  const actual = sha256(text.replace(CHECKSUM_FIELD, (f) => f.replace(stated, ZEROS)));
  if (actual !== stated) throw new CorruptFileError(path, `checksum mismatch: the file says sha256 ${stated.slice(0, 12)}…, its contents hash to ${actual.slice(0, 12)}… (edited or damaged)`);
  return payload as T;
}

/**
 * Move a file that failed verification into `<folder>/corrupt/`, named `<sub>-<file name>` (`sub` is its
 * subfolder, e.g. `runs`), with `.1`, `.2`, … appended when that name is taken. Returns the new path.
 */
export function moveAside(folder: string, sub: string, path: string): string {
  const target = join(folder, 'corrupt');
  mkdirSync(target, { recursive: true });
  const name = `${sub}-${basename(path)}`;
  let dest = join(target, name);
  for (let i = 1; existsSync(dest); i++) dest = join(target, `${name}.${i}`);
  renameSync(path, dest);
  return dest;
}
