/**
 * The version of the records and queue layout in LMDB (kept apart from lmdb-env.ts so that the
 * public declarations never name lmdb's own types).
 */

/** Version of the records and queue layout in LMDB; bump on an incompatible change. */
export const STATE_SCHEMA_VERSION = 1;
