/**
 * XML text helpers for the writer: escaping, and the checks that keep values representable.
 * XML 1.0 cannot carry most C0 control characters, U+FFFE/U+FFFF or lone surrogates at all,
 * not even as character references, so such values are refused rather than silently altered.
 */
import { InvalidInputError } from '../../core/errors.js';

/** Escape character data. `\r` is written as a reference so parsers do not fold it into `\n`. */
export function escapeText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

/** Escape an attribute value (double-quoted); whitespace controls become references so they survive normalisation. */
export function escapeAttr(s: string): string {
  return s.replace(/[&<>"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

// Lone surrogates are matched by the two lookaround alternatives.
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throw InvalidInputError when `value` holds characters XML 1.0 cannot represent. */
export function assertXmlText(value: string, what: string): string {
  if (NOT_XML.test(value))
    throw new InvalidInputError(`${what} contains characters XML cannot carry`, { key: value });
  return value;
}

/** xs:dateTime, as PREMIS and METS header dates require (time zone optional). */
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Throw InvalidInputError unless `value` is an ISO 8601 / xs:dateTime date-time. */
export function assertDateTime(value: string, what: string): string {
  if (!DATE_TIME.test(value)) {
    throw new InvalidInputError(
      `${what} must be an ISO 8601 date-time (e.g. 2025-07-30T15:46:31Z), got "${value}"`,
    );
  }
  return value;
}
