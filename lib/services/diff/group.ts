/**
 * Reading the Archival Group's head for the diff, through the repository's resources (the same
 * model the API shows), so paths, names and SHA-256 digests are the ones an ImportJob names.
 */

import type { GroupState } from '../../core/deposit-diff.js';
import { ConflictError, hasCode } from '../../core/errors.js';
import { fedoraIdOf } from '../../core/fedora/header-writer.js';
import type { BinaryResource } from '../../core/fedora/model.js';
import { quoteForMessage } from '../../core/paths.js';
import type { Repository } from '../repository.js';

/**
 * The group's head as the diff needs it (binaries with SHA-256, size and name; containers with
 * name; the version), or undefined when there is no repository or no object at the path. Throws
 * ConflictError when the path holds something that is not an Archival Group, GoneError, and the
 * store's errors.
 */
export async function readGroup(
  repository: Repository | undefined,
  groupPath: string,
): Promise<GroupState | undefined> {
  if (repository === undefined) return undefined;
  let resources: Awaited<ReturnType<Repository['resources']>>;
  try {
    resources = await repository.resources(fedoraIdOf(groupPath));
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
  if (resources.root.type !== 'ArchivalGroup') {
    throw new ConflictError(
      `${quoteForMessage(groupPath)} is a ${resources.root.type}, not an Archival Group`,
      {
        key: groupPath,
      },
    );
  }
  const binaries = new Map<string, { sha256?: string; size?: number; name?: string }>();
  const containers = new Map<string, { name?: string }>();
  for (const [path, r] of resources.byPath) {
    if (path === '') continue;
    if (r.type === 'Binary') {
      const b = r as BinaryResource;
      binaries.set(path, {
        ...(b.digest !== undefined && { sha256: b.digest }),
        ...(b.size !== undefined && { size: b.size }),
        name: b.name,
      });
    } else containers.set(path, { name: r.name });
  }
  return { version: resources.version, name: resources.root.name, binaries, containers };
}
