/**
 * What the routes call: one bundle of services built at start-up (server/deps.ts) and handed to
 * `createApp`. Routes stay thin: parse, call one of these, shape the JSON.
 */
import type { Readable } from 'node:stream';
import type { fedora, Repository, RepositoryBrowser, RepositoryWriter } from '../lib/index.js';
import type { Urls } from './json/repository.js';

/** The services behind the routes. */
export interface ServerServices {
  urls: Urls;
  repository: Repository;
  browser: RepositoryBrowser;
  writer: RepositoryWriter;
  /** The METS file of a group version as a stream (404 when it has none). */
  metsOf(objectId: string, resources: fedora.ObjectResources): Promise<Readable>;
}
