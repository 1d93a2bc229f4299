/**
 * What a search matches: the text a client sends, normalised once, and the text of each thing
 * searched, normalised the same way, so every implementation (memory, LMDB, later PostgreSQL)
 * agrees on a hit: a case-insensitive substring match after Unicode NFC (a name typed on one
 * system matches a name stored from another, `é` composed or not).
 *
 * Control characters never match: they are refused in the search text and replaced by a space
 * in what is searched, which also lets the packed index use them as separators.
 */
import { InvalidInputError } from '../../core/errors.js';

/** Longest search text, in characters. */
export const MAX_SEARCH_TEXT_CHARS = 256;
/** Default and largest page size of a search. */
export const DEFAULT_SEARCH_PAGE_SIZE = 20;
/** Largest page size of a search. */
export const MAX_SEARCH_PAGE_SIZE = 1000;
/** Largest page number of a search (0-based): deeper paging is not what a search is for. */
export const MAX_SEARCH_PAGE = 100_000;

const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A page of a search: 0-based `page`, as the spec's search takes it. */
export interface SearchPageRequest {
  page: number;
  pageSize: number;
}

/** The folded form of text being searched: NFC, lower case, control characters as spaces. */
export function foldForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(CONTROL, ' ');
}

/**
 * The needle of a search text: trimmed, then folded. Throws InvalidInputError for an empty text,
 * one longer than {@link MAX_SEARCH_TEXT_CHARS}, or one with control characters.
 */
export function searchNeedle(text: unknown): string {
  if (typeof text !== 'string') throw new InvalidInputError('text: a search text is required');
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidInputError('text: a search text is required');
  if ([...trimmed].length > MAX_SEARCH_TEXT_CHARS)
    throw new InvalidInputError(`text: at most ${MAX_SEARCH_TEXT_CHARS} characters`);
  if (new RegExp(CONTROL.source).test(trimmed))
    throw new InvalidInputError('text: control characters cannot be searched for');
  return foldForSearch(trimmed);
}

/**
 * A checked page request: `page` 0 … {@link MAX_SEARCH_PAGE}, `pageSize` 1 …
 * {@link MAX_SEARCH_PAGE_SIZE} (default {@link DEFAULT_SEARCH_PAGE_SIZE}). Throws InvalidInputError.
 */
export function searchPage(input: { page?: number; pageSize?: number } = {}): SearchPageRequest {
  const page = input.page ?? 0;
  const pageSize = input.pageSize ?? DEFAULT_SEARCH_PAGE_SIZE;
  if (!Number.isSafeInteger(page) || page < 0 || page > MAX_SEARCH_PAGE)
    throw new InvalidInputError(`page must be a whole number from 0 to ${MAX_SEARCH_PAGE}`);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_SEARCH_PAGE_SIZE)
    throw new InvalidInputError(`pageSize must be a whole number from 1 to ${MAX_SEARCH_PAGE_SIZE}`);
  return { page, pageSize };
}

/** The fields of a deposit a search looks at (spec "Search": id, archivalGroup, name, submission text). */
export interface DepositSearchFields {
  id: string;
  archivalGroupPath: string | null;
  archivalGroupName: string | null;
  submissionText: string | null;
}

/** A deposit's searched text: its fields folded, joined by a separator no needle holds. */
export function depositHaystack(d: DepositSearchFields): string {
  return [d.id, d.archivalGroupPath ?? '', d.archivalGroupName ?? '', d.submissionText ?? '']
    .map(foldForSearch)
    .join('\u0001');
}
