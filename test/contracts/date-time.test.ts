// Unit tests of src/contracts/date-time.ts: the shop's `date-time` format answers as ajv-formats' full check does,
// for the toISOString form its fast path reads and for every other form, and decodeEvent rejects what it rejects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import addFormatsPlugin from 'ajv-formats';
import { isDateTime } from '../../src/contracts/date-time.js';
import { decodeEvent } from '../../src/contracts/envelope.js';
import { WebshopError } from '../../src/errors.js';

const formats = addFormatsPlugin as unknown as { get(name: string, mode: 'full'): { validate(text: string): boolean } };
const library = formats.get('date-time', 'full').validate;

const two = (value: number): string => String(value).padStart(2, '0');

test('dates and times in the toISOString form are accepted only when the calendar and the clock have them', () => {
  const cases: [string, boolean][] = [
    ['2026-12-04T15:10:10.436Z', true],
    ['2024-02-29T00:00:00.000Z', true],
    ['2000-02-29T23:59:59.999Z', true],
    ['2026-02-29T10:00:00.000Z', false],
    ['1900-02-29T10:00:00.000Z', false],
    ['2026-04-31T10:00:00.000Z', false],
    ['2026-00-10T10:00:00.000Z', false],
    ['2026-13-10T10:00:00.000Z', false],
    ['2026-12-00T10:00:00.000Z', false],
    ['2026-12-04T24:00:00.000Z', false],
    ['2026-12-04T12:60:00.000Z', false],
    ['2026-12-04T12:00:60.000Z', false],
    ['2016-12-31T23:59:60.000Z', true], // a leap second
  ];
  for (const [text, valid] of cases) {
    assert.equal(isDateTime(text), valid, text);
    assert.equal(library(text), valid, `ajv-formats disagrees with the case ${text}`);
  }
});

test('every other RFC 3339 form gets the same answer as from ajv-formats', () => {
  const texts = [
    '2018-04-05T17:31:00Z',
    '2018-04-26T14:48:09+02:00',
    '2025-03-04T05:06:07.089123456Z',
    '2025-03-04t05:06:07.089z',
    '2025-03-04 05:06:07.089Z',
    '2018-04-05T17:31:00',
    '2018-04-05',
    '2025-13-45T99:00:00Z',
    '2025-03-04T05:06:07.08Z',
    '+2025-03-04T05:06:07.089Z',
    '2025-03-04T05:06:07.089Z ',
    '２０２５-03-04T05:06:07.089Z',
    'yesterday',
    '',
  ];
  for (const text of texts) assert.equal(isDateTime(text), library(text), text);
});

test('across years, months, days, hours, minutes and seconds the answer is the library one', () => {
  let accepted = 0;
  let checked = 0;
  for (const year of [1900, 2000, 2023, 2024, 2100]) {
    for (let month = 0; month <= 13; month += 1) {
      for (let day = 0; day <= 32; day += 1) {
        for (const hour of [0, 23, 24, 99]) {
          for (const minute of [0, 59, 60]) {
            for (const second of [0, 59, 60, 61]) {
              const text = `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.123Z`;
              const valid = isDateTime(text);
              assert.equal(valid, library(text), text);
              if (valid) accepted += 1;
              checked += 1;
            }
          }
        }
      }
    }
  }
  // 1,827 days in those five years (two leap years), each at 2 hours × 2 minutes × 2 seconds and a leap second.
  assert.equal(accepted, 1827 * (8 + 1));
  assert.equal(checked, 5 * 14 * 33 * 4 * 3 * 4);
});

test('an event whose time is not on the calendar is INVALID_ENVELOPE, naming time', () => {
  const event = {
    specversion: '1.0',
    id: 'event-1',
    source: 'webshop/order',
    type: 'webshop.order.created',
    time: '2026-02-30T10:00:00.000Z',
    data: { orderId: 'o-1', amount: 50 },
  };
  assert.throws(
    () => decodeEvent(Buffer.from(JSON.stringify(event)), ['webshop.order.created']),
    (error: unknown) =>
      error instanceof WebshopError && error.code === 'INVALID_ENVELOPE' && /\/time /.test(error.message),
  );
  assert.equal(
    decodeEvent(Buffer.from(JSON.stringify({ ...event, time: '2024-02-29T10:00:00.000Z' })), ['webshop.order.created'])
      .time,
    '2024-02-29T10:00:00.000Z',
  );
});
