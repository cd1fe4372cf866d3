import { fail, formatValue } from './check';

/**
 * Names that become folder names (an experiment's, a budget's): letters, digits, '.', '_' and '-', and not
 * made of dots only, so that `.` and `..` never name a folder outside the results root.
 */
export function isFolderName(text: unknown): text is string {
  return typeof text === 'string' && /^[A-Za-z0-9._-]+$/.test(text) && !/^\.+$/.test(text);
}

/** A folder name (isFolderName), or a ValidationError naming the field and the value. */
export function checkFolderName(field: string, value: unknown, what = 'a name'): string {
  if (!isFolderName(value)) fail(field, value, `must be ${what} of letters, digits, '.', '_' or '-', not only dots (it names a folder), got ${formatValue(value)}`);
  return value;
}
