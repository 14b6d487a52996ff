/**
 * A value kept on disk between starts, under a key hashed from everything it is made from: what
 * costs seconds of CPU to build at every start (the OpenAPI document) is read back in
 * milliseconds, and any change of its inputs makes a new one.
 */
import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';

/** JSON with every object's keys sorted: the same inputs give the same text whatever their order. */
const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((name) => [name, (item as Record<string, unknown>)[name]]),
        )
      : item,
  );

/** A hash of JSON-able inputs (functions are left out, as JSON leaves them). */
export const cacheKey = (inputs: unknown): string =>
  createHash('sha256').update(stableJson(inputs)).digest('hex').slice(0, 32);

/**
 * The value stored under `name` and `key` in `dir`, else `build()`'s, then stored (as JSON: what
 * is read back is what a JSON response of the built value holds). The files of other keys of
 * `name` are removed. A cache that cannot be read or written only costs the build (`warn` says why).
 */
export const cachedJson = <T>(
  dir: string,
  name: string,
  key: string,
  build: () => T,
  warn: (message: string) => void = () => undefined,
): { value: T; cached: boolean } => {
  const file = path.join(dir, `${name}-${key}.json`);
  try {
    return { value: JSON.parse(fs.readFileSync(file, 'utf8')) as T, cached: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cache ${file} unreadable: ${String(error)}`);
  }
  const value = build();
  try {
    fs.mkdirSync(dir, { recursive: true });
    // Written whole, then renamed: a process starting meanwhile reads the old file or the new one.
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(value));
    fs.renameSync(temporary, file);
    for (const other of fs.readdirSync(dir)) {
      if (other.startsWith(`${name}-`) && other.endsWith('.json') && other !== path.basename(file))
        fs.rmSync(path.join(dir, other), { force: true });
    }
  } catch (error) {
    warn(`cache ${file} not written: ${String(error)}`);
  }
  return { value, cached: false };
};
