/**
 * Upload rules: which files the Media Library accepts (judged by their content, never by name or
 * declared type alone), how stored files are served, and who may change a file that published
 * content shows.
 */
import { posix } from 'path';

/** What content detection found (file-type's answer), or undefined when nothing was recognised. */
export interface Detected {
  mime: string;
  ext: string;
}

interface AllowedType {
  /** Name extensions an uploaded file of this type may carry (lower case, without the dot). */
  extensions: string[];
  /** Shown inline by browsers; everything else is served as a download. */
  image: boolean;
}

/**
 * The allow-list, by detected content type. Old binary Office files (doc/xls/ppt) are refused:
 * file-type sees them only as "cfb", a container that is equally an .msi or .msg.
 */
export const ALLOWED_TYPES: Record<string, AllowedType> = {
  'image/jpeg': { extensions: ['jpg', 'jpeg'], image: true },
  'image/png': { extensions: ['png'], image: true },
  'image/webp': { extensions: ['webp'], image: true },
  'image/gif': { extensions: ['gif'], image: true },
  'image/avif': { extensions: ['avif'], image: true },
  'application/pdf': { extensions: ['pdf'], image: false },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extensions: ['docx'], image: false },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extensions: ['xlsx'], image: false },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { extensions: ['pptx'], image: false },
};

export const ALLOWED_MIMES = Object.keys(ALLOWED_TYPES);

/** Declared types that say nothing (a client that does not know): content decides alone. */
const GENERIC_DECLARED = new Set(['', 'application/octet-stream']);

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export type UploadRefusal =
  | { code: 'upload.too-large'; status: 413; message: string }
  | { code: 'upload.type-refused' | 'upload.type-mismatch'; status: 400; message: string };

export interface UploadCandidate {
  /** The uploaded file's own name (not the display name), e.g. photo.png. */
  name: string;
  /** The multipart Content-Type the client declared, if any. */
  declaredMime?: string | null;
  size: number;
  detected: Detected | undefined;
}

export const extensionOf = (name: string) => {
  const base = name.split(/[/\\]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
};

/**
 * Accepts a file when its content is an allowed type, its name carries one of that type's
 * extensions and its declared type (if it declares one) is that type. Returns the refusal, or
 * null with the type to store.
 */
export const checkUpload = (
  file: UploadCandidate,
  maxBytes: number,
): { refusal: UploadRefusal; mime?: undefined } | { refusal: null; mime: string } => {
  if (file.size > maxBytes)
    return {
      refusal: {
        code: 'upload.too-large',
        status: 413,
        message: `${file.name} is larger than the upload limit of ${maxBytes} bytes`,
      },
    };
  const allowed = file.detected && ALLOWED_TYPES[file.detected.mime];
  if (!file.detected || !allowed)
    return {
      refusal: {
        code: 'upload.type-refused',
        status: 400,
        message: file.detected
          ? `${file.name}: files of type ${file.detected.mime} may not be uploaded`
          : `${file.name}: the file's content is not a recognised image, PDF or Office document`,
      },
    };
  const ext = extensionOf(file.name);
  if (!allowed.extensions.includes(ext))
    return {
      refusal: {
        code: 'upload.type-mismatch',
        status: 400,
        message: `${file.name}: the name${ext ? ` (.${ext})` : ' (no extension)'} does not match the content (${file.detected.mime}, .${allowed.extensions[0]})`,
      },
    };
  const declared = (file.declaredMime ?? '').split(';')[0].trim().toLowerCase();
  if (!GENERIC_DECLARED.has(declared) && declared !== file.detected.mime)
    return {
      refusal: {
        code: 'upload.type-mismatch',
        status: 400,
        message: `${file.name}: declared as ${declared} but the content is ${file.detected.mime}`,
      },
    };
  return { refusal: null, mime: file.detected.mime };
};

const IMAGE_EXTENSIONS = new Set(
  Object.values(ALLOWED_TYPES).flatMap(({ extensions, image }) => (image ? extensions : [])),
);
const KNOWN_EXTENSIONS = new Set(Object.values(ALLOWED_TYPES).flatMap(({ extensions }) => extensions));

/**
 * Headers for a file served from /uploads. Every file: no sniffing and a CSP that lets nothing
 * run (so even a stored .html or .svg left by an older version is inert); anything but an
 * allowed image is a download; anything not on the allow-list is served as opaque bytes.
 */
export const servedFileHeaders = (path: string): Record<string, string> => {
  const ext = extensionOf(path);
  return {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    ...(IMAGE_EXTENSIONS.has(ext) ? {} : { 'Content-Disposition': 'attachment' }),
    ...(KNOWN_EXTENSIONS.has(ext) ? {} : { 'Content-Type': 'application/octet-stream' }),
  };
};

/**
 * Whether a request path can reach a stored upload: judged on the decoded, normalised path,
 * because the public folder's static route serves /%75ploads/x or //uploads/x from the same
 * directory. An undecodable path counts as one (safe headers on an error cost nothing).
 */
export const isUploadsPath = (rawPath: string) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  return /^\/uploads(\/|$)/i.test(posix.normalize(decoded.replace(/\\/g, '/')));
};

export const PRIVILEGED_MEDIA_ROLES = ['strapi-super-admin', 'wutong-publisher'];

/** Who may replace, delete or re-describe a file that published content uses. */
export const mayChangeLiveMedia = (actor: { kind: string; roleCodes?: string[] }) =>
  actor.kind === 'system' || (actor.roleCodes ?? []).some((code) => PRIVILEGED_MEDIA_ROLES.includes(code));

/** The file metadata the public API shows with the file (a folder move changes nothing public). */
export const PUBLIC_FILE_INFO = ['name', 'alternativeText', 'caption', 'focalPoint'] as const;

/** The public metadata fields that an info update would change. */
export const changedPublicInfo = (current: Record<string, unknown>, next: Record<string, unknown> | undefined) =>
  PUBLIC_FILE_INFO.filter(
    (field) =>
      next !== undefined &&
      next[field] !== undefined &&
      JSON.stringify(next[field] ?? null) !== JSON.stringify(current[field] ?? null),
  );

export const parseMaxBytes = (value: string | undefined) => {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_BYTES;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(kb|mb|gb|b)?\s*$/i.exec(value);
  if (!match) throw new Error(`UPLOAD_MAX_BYTES: "${value}" is not a size (e.g. 20971520 or 20mb)`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1) throw new Error('UPLOAD_MAX_BYTES must be at least 1 byte');
  return bytes;
};
