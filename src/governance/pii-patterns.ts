// The patterns that recognise personal data in text: e-mail addresses, phone numbers and
// payment card numbers (Luhn-checked). The no_pii data test (src/compile/builtin-macros/no-pii.ts) carries
// the same pattern strings, and a unit test holds the two equal, so what the docs and this
// module say is what the warehouse checks.
//
// The patterns are POSIX extended regular expressions that mean the same in PostgreSQL (`~`),
// Redshift (`~`, REGEXP_SUBSTR) and JavaScript: bracket expressions instead of \d or \., no
// backslashes at all (Redshift reads them as escapes inside string literals), no lookaround.
// Redshift's POSIX operators: https://docs.aws.amazon.com/redshift/latest/dg/pattern-matching-conditions-posix.html

import type { PiiClass } from '../config/project-schema.js';

/** local@domain.tld, the top-level domain two letters or more. */
export const EMAIL_PATTERN = '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}';

// A phone number must stand apart from other digit groups: the character before it is the
// start, a character that is neither alphanumeric nor a separator, or a separator after a
// non-digit; after it comes the end, such a character, or a separator not followed by a digit.
// Without that, any four digit groups of a card number would read as a phone number.
const PHONE_BEFORE = '(^[ ./-]*|[^0-9A-Za-z+ ./-]|[^0-9][ ./-])';
const PHONE_AFTER = '($|[^0-9 ./-]|[ ./-]($|[^0-9]))';
const PHONE_FORMS = [
  // International: +49 151 2345678, +491512345678, +1 (415) 555-2671.
  '[+][0-9]{1,3}([ ./-]?[(]?[0-9]{1,4}[)]?){2,5}',
  // Area code in parentheses: (030) 123-456, (555) 123-4567.
  '[(][0-9]{2,5}[)][ ./-]?[0-9]{2,4}([ ./-]?[0-9]{2,5}){1,2}',
  // National with trunk 0: 0151/2345678, 030 1234567, 020 7946 0958.
  '0[0-9]{2,4}[ /-][0-9]{3,8}([ -][0-9]{2,5})?',
  // North American: 555-123-4567, 555.123.4567.
  '[0-9]{3}[ .-][0-9]{3}[ .-][0-9]{4}',
];

/**
 * Phone numbers written the ways people write them. A bare run of digits (4155552671) is not
 * matched: in a warehouse it is far more often an id than a phone number.
 */
export const PHONE_PATTERN = `${PHONE_BEFORE}(${PHONE_FORMS.join('|')})${PHONE_AFTER}`;

/** 13 to 19 digits, single spaces or hyphens allowed between them: the digits of a card. */
export const CARD_DIGITS_PATTERN = '[0-9]([ -]?[0-9]){12,18}';

/**
 * A card number candidate with its surroundings: not part of a longer number or of a word (so
 * the digit runs inside a hex hash or an id like `ab4111…cd` are not cards), not after `+` (a phone).
 */
export const CARD_PATTERN = `(^|[^0-9A-Za-z+])${CARD_DIGITS_PATTERN}($|[^0-9A-Za-z])`;

export type PiiKind = 'email' | 'phone' | 'card_number';

export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'card_number'];

const email = new RegExp(EMAIL_PATTERN);
const phone = new RegExp(PHONE_PATTERN);
const card = new RegExp(CARD_PATTERN);
const cardDigits = new RegExp(CARD_DIGITS_PATTERN);

/** The Luhn checksum every payment card number satisfies (ISO/IEC 7812). */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Counting from the right, every second digit is doubled, and 10..18 count as 1..9.
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * The digits of the first card-like number in the text, as the SQL test extracts them, or
 * undefined. Only the first candidate is checked, in SQL and here alike.
 */
export function cardCandidate(text: string): string | undefined {
  const around = card.exec(text)?.[0];
  const inner = around === undefined ? undefined : cardDigits.exec(around)?.[0];
  return inner?.replace(/[ -]/g, '');
}

export function containsEmail(text: string): boolean {
  return email.test(text);
}

export function containsPhone(text: string): boolean {
  return phone.test(text);
}

export function containsCardNumber(text: string): boolean {
  const digits = cardCandidate(text);
  return digits !== undefined && luhnValid(digits);
}

/** Every kind of personal data the text holds. */
export function detectPii(text: string): PiiKind[] {
  const found: PiiKind[] = [];
  if (containsEmail(text)) found.push('email');
  if (containsPhone(text)) found.push('phone');
  if (containsCardNumber(text)) found.push('card_number');
  return found;
}

// ---------------------------------------------------------------- classified columns
//
// A column whose PII class is known (schema.yml meta.pii, or inherited by column lineage) gets
// one more check, for what that class looks like when it is NOT masked. Unlike the patterns
// above, these may flag values that are harmless in an unclassified column (a bare number, any
// text), so no_pii applies them only where the classification says what the column holds.

/**
 * `phone`: a bare run of 7 to 15 digits (E.164 numbers have at most 15), `+` allowed in front,
 * standing apart from letters and other digits: 14033335568, +491512345678. The last four
 * digits (pii_phone_last_four) are too short to match.
 */
export const PHONE_DIGITS_PATTERN = '(^|[^0-9A-Za-z])[+]?[0-9]{7,15}($|[^0-9A-Za-z])';

/**
 * `birth_date`: a full date, as a date or timestamp column reads as text (1987-04-12,
 * 1987-04-12 00:00:00) or as people write one (12.04.1987, 04/12/1987, 1987/04/12). A year
 * (pii_birth_year) or an age band (pii_age_band) has no day and passes.
 */
export const DATE_PATTERN = '(^|[^0-9])([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4})($|[^0-9])';

/**
 * The masked forms pgshift's macros produce, the only values an `email`, `name`, `address`,
 * `free_text` or `secret` column may hold: a hash of 64 hex digits (pii_hash), at most one
 * visible character and three or more asterisks, with a domain after them or not
 * (pii_mask_email: j***@example.com, ***), `[redacted]` (pii_redact; any one character may
 * stand for either bracket), or blank. NULL is never
 * scanned. Anything else in such a column is a clear value.
 */
// `.redacted.` rather than brackets as literals: Redshift's page (above) does not say how a
// bracket expression holding '[' or a lone ']' reads, so the pattern does not depend on it.
export const MASKED_PATTERN = '^([0-9A-Fa-f]{64}|[^*@]?[*]{3,}(@[^@]*)?|.redacted.| *)$';

const phoneDigits = new RegExp(PHONE_DIGITS_PATTERN);
const date = new RegExp(DATE_PATTERN);
const masked = new RegExp(MASKED_PATTERN);

/** True when a value of a column classified `pii` is personal data in the clear, as no_pii decides it. */
export function failsClassCheck(pii: PiiClass, text: string): boolean {
  if (pii === 'phone') return phoneDigits.test(text);
  if (pii === 'birth_date') return date.test(text);
  // No masked form holds a line break; Redshift's page calls ^ and $ line anchors, so a value
  // with one fails outright rather than by how the anchors read.
  return !masked.test(text) || text.includes('\n');
}
