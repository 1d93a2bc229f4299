/**
 * 0002-flat-direct-storage-layout: the object root is the id itself, directly under the storage
 * root. Only usable for ids that are valid single directory names.
 */
import { InvalidInputError } from '../errors.js';
import { quoteForMessage, truncateForMessage } from '../paths.js';
import { ConfigProblems, checkExtensionName } from './config-fields.js';
import { LAYOUT_EXTENSIONS, type StorageLayout } from './types.js';

/** Longest directory name most filesystems (and our S3 key budget) accept, in UTF-8 bytes. */
const MAX_NAME_BYTES = 255;

/**
 * Throw InvalidInputError unless `name` can be one path segment: non-empty, not `.`/`..`, no
 * `/`, no NUL, at most 255 UTF-8 bytes. `what` names the layout for the message.
 */
export function assertSegment(name: string, id: string, what: string): void {
  let problem: string | undefined;
  if (name === '' || name === '.' || name === '..') problem = `would map to the directory name "${name}"`;
  else if (name.includes('/')) problem = 'contains "/" and would create nested directories';
  else if (name.includes('\0')) problem = 'contains NUL';
  else if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
    problem = `is longer than ${MAX_NAME_BYTES} bytes`;
  if (problem !== undefined) {
    throw new InvalidInputError(`${what} cannot map object id ${quoteForMessage(id)}: it ${problem}`, {
      operation: 'objectRootFor',
      key: truncateForMessage(id, 512),
    });
  }
}

/** Build a 0002 layout. It has no parameters; a config may only carry `extensionName`. */
export function flatDirectLayout(config: Record<string, unknown> = {}): StorageLayout {
  const problems = new ConfigProblems(LAYOUT_EXTENSIONS.flatDirect);
  checkExtensionName(config, problems);
  problems.throwIfAny();
  return {
    extensionName: LAYOUT_EXTENSIONS.flatDirect,
    config: { extensionName: LAYOUT_EXTENSIONS.flatDirect },
    objectRootFor(id: string): string {
      assertSegment(id, id, LAYOUT_EXTENSIONS.flatDirect);
      return id;
    },
  };
}
