// The `date-time` format of the events' schemas (envelope.ts): RFC 3339 exactly as ajv-formats checks it in full
// mode, with a fast path for the form every shop event carries, Date.prototype.toISOString's
// `2026-12-04T15:10:10.436Z`. Its fields are read in place; the library's check splits the string and matches two
// regular expressions, about 1 µs for each of an event's two times and a status record's more (bench/README.md).
// Any other form, or a field out of range, gets the library's answer.
import addFormatsPlugin from 'ajv-formats';

type FormatCheck = (text: string) => boolean;

// ajv-formats is published as CommonJS with a default export; NodeNext sees the namespace.
const formats = addFormatsPlugin as unknown as { get(name: string, mode: 'full'): { validate: FormatCheck } };
const fullCheck = formats.get('date-time', 'full').validate;

const isoForm = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const daysIn = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digits = (text: string, from: number, count: number): number => {
  let value = 0;
  for (let index = from; index < from + count; index += 1) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
};

const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/**
 * True when `text` is an RFC 3339 date-time with a time zone, as ajv-formats' full `date-time` format says.
 * @example isDateTime('2026-02-29T10:00:00.000Z') // false: 2026 is not a leap year
 */
export function isDateTime(text: string): boolean {
  if (isoForm.test(text)) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const lastDay = month === 2 && isLeapYear(year) ? 29 : (daysIn[month] ?? 0);
    const inRange =
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= lastDay &&
      digits(text, 11, 2) <= 23 &&
      digits(text, 14, 2) <= 59 &&
      digits(text, 17, 2) <= 59;
    // Out of range is not always invalid: a leap second (23:59:60) is the library's to judge.
    if (inRange) return true;
  }
  return fullCheck(text);
}
