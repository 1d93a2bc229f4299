/**
 * The error taxonomy on its own (`strongroom/errors`): every error class with its stable code,
 * and the one table from codes to HTTP statuses and CLI exit codes. Loads nothing else of the
 * engine, so a front end can map errors (and the CLI can start) without loading LMDB or workers.
 */
export * from './core/error-table.js';
export * from './core/errors.js';
