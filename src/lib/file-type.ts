/**
 * Content detection with file-type, which is ESM-only. TypeScript compiles `import()` to
 * `require()` here, and inside jest a real `import()` needs --experimental-vm-modules; so the
 * package is loaded with Node's own require (which loads ES modules since Node 20.19), taken from
 * process.getBuiltinModule so that jest's module registry cannot stand in for it.
 */
import type { Detected } from './uploads';

type FileTypeModule = { fileTypeFromFile(path: string): Promise<Detected | undefined> };

let loaded: FileTypeModule | undefined;

const load = (): FileTypeModule => {
  if (!loaded) {
    const { createRequire } = process.getBuiltinModule('node:module') as typeof import('node:module');
    loaded = createRequire(__filename)('file-type') as FileTypeModule;
  }
  return loaded;
};

/** The type of a file on disk by its content (it reads as far as it needs, e.g. into a zip). */
export const detectFileType = async (path: string): Promise<Detected | undefined> => {
  const result = await load().fileTypeFromFile(path);
  return result ? { mime: result.mime, ext: result.ext } : undefined;
};
