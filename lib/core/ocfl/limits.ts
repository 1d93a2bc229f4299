/**
 * Size and depth limits for the small OCFL files and the storage hierarchy: every one of them is
 * someone else's data, read whole, so each read has a cap far above any honest file and far
 * below what could hurt the process. Inventories have their own cap (`MAX_INVENTORY_BYTES` in
 * `inventory-parse.ts`, 500 MiB); Fedora headers theirs (`MAX_FEDORA_HEADER_BYTES`, 1 MiB).
 *
 * What happens past a cap: the validator reports a finding (the file is not what the spec says
 * it is: E061 sidecar, E007/E080 declaration, E070 layout file), the readers throw
 * TooLargeError or InvalidObjectError naming the file and the cap. Nothing past a cap is read.
 *
 * Pure module.
 */

/**
 * Largest inventory sidecar read: 1 KiB. A sidecar is one digest (128 hex characters for
 * sha512), whitespace and `inventory.json`: about 150 bytes.
 */
export const MAX_SIDECAR_BYTES = 1024;

/**
 * Largest conformance declaration read (`0=ocfl_object_1.1`, `0=ocfl_1.1`): 1 KiB. The right
 * content is the declaration's value and a newline, 16 bytes or so; anything longer is wrong
 * whatever it holds, so the cap only decides how much is read before saying so.
 */
export const MAX_DECLARATION_BYTES = 1024;

/** Largest `ocfl_layout.json` read: 64 KiB (two short strings in practice). */
export const MAX_LAYOUT_FILE_BYTES = 64 * 1024;

/** Largest `extensions/<name>/config.json` read: 64 KiB (a handful of parameters in practice). */
export const MAX_EXTENSION_CONFIG_BYTES = 64 * 1024;

/**
 * Deepest directory level below a storage root that walks enter: 512. Registered layouts nest
 * objects at most 33 levels deep (32 tuples and the object directory), S3 keys end at 1,024
 * bytes (at most 512 one-character levels) and Linux paths at 4,096; a deeper branch is a trap
 * (a chain of thousands of empty folders), reported as such instead of walked.
 */
export const MAX_HIERARCHY_DEPTH = 512;
