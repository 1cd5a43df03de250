import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attribute } from '../schemas/attribute.js';
import type { CompareOp, FilterValue } from './ast.js';
import { checkFilterValue, parseDateTime } from './check-value.js';

// The shipped schemas have no integer or decimal attributes; custom ones would, so the rules are pinned here.
describe('checkFilterValue: numbers', () => {
  const integer = attribute('seats', 'integer');
  const decimal = attribute('ratio', 'decimal');
  const cases: [typeof integer, CompareOp, FilterValue, FilterValue | RegExp][] = [
    [integer, 'gt', 3, 3],
    [integer, 'eq', 3.5, /is an integer; 3.5 is not/],
    [integer, 'eq', '3', /is a number; compare it with an unquoted number/],
    [integer, 'co', 3, /"co" cannot be used on the number attribute/],
    [decimal, 'le', 0.25, 0.25],
    [decimal, 'ne', null, null],
  ];
  for (const [definition, op, value, expected] of cases) {
    it(`${definition.type} ${op} ${JSON.stringify(value)}`, () => {
      const result = checkFilterValue(definition, definition.name, op, value);
      if (expected instanceof RegExp) assert.ok('error' in result && expected.test(result.error), JSON.stringify(result));
      else assert.deepEqual(result, { value: expected });
    });
  }
});

describe('parseDateTime', () => {
  const cases: [string, number | undefined][] = [
    ['2024-01-31T08:00:00Z', Date.UTC(2024, 0, 31, 8)],
    ['2024-01-31T10:00:00+02:00', Date.UTC(2024, 0, 31, 8)],
    ['2024-01-31T08:00:00', Date.UTC(2024, 0, 31, 8)],
    ['2024-01-31', Date.UTC(2024, 0, 31)],
    ['2024-02-29T23:59:59.999Z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['2023-02-29', undefined],
    ['2024-04-31', undefined],
    ['2024-00-10', undefined],
    ['2024-01-01T23:60:00Z', undefined],
    ['31/01/2024', undefined],
    ['2024-01-31T08:00:00 Z', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseDateTime(text), expected));
});
