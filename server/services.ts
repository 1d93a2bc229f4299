/**
 * What the routes call: one bundle of services built at start-up (server/deps.ts) and handed to
 * `createApp`. Routes stay thin: parse, call one of these, shape the JSON.
 */
import type { Readable } from 'node:stream';
import type {
  ActivityFeed,
  DepositRecord,
  DepositService,
  DepositWorkspace,
  fedora,
  IdentityResolver,
  PipelineService,
  Repository,
  RepositoryBrowser,
  RepositoryWriter,
  SearchService,
} from '../lib/index.js';
import type { ApiUrls } from './json/deposits.js';

/** The services behind the routes. */
export interface ServerServices {
  urls: ApiUrls;
  repository: Repository;
  browser: RepositoryBrowser;
  writer: RepositoryWriter;
  /** The METS file of a group version as a stream (404 when it has none). */
  metsOf(objectId: string, resources: fedora.ObjectResources): Promise<Readable>;
  deposits: DepositService;
  /** Filesystem view, METS editing and locks of deposits. */
  workspace: DepositWorkspace;
  /** A deposit's METS file (`mets.xml` first, then `*mets*.xml`, at the root or in `data/`), if any. */
  depositMets(deposit: DepositRecord): Promise<{ stream: Readable; etag?: string } | undefined>;
  /** Wake the job runners (a job or a pipeline run was just queued). */
  poke(): void;
  /** Pipeline runs of deposits. */
  pipelines: PipelineService;
  /** The Archival Group activity stream (and group deletion, which writes to it). */
  activity: ActivityFeed;
  /** Every agent id the records know. */
  agents(): Promise<string[]>;
  /** Search of deposits and preserved resources. */
  search: SearchService;
  /** The identity resolver for deposits from an identifier, when one is configured. */
  identity?: IdentityResolver;
}
