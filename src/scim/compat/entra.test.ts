import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listedValuesOfRemove, parseBooleanString, referenceFromString, unwrapSingleValue } from './entra.js';

describe('Entra compatibility rules (entra-onelogin-jumpcloud.md)', () => {
  const booleans: [string, boolean | undefined][] = [
    ['True', true],
    ['False', false],
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['fAlSe', false],
    [' true', undefined],
    ['true ', undefined],
    ['yes', undefined],
    ['1', undefined],
    ['0', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of booleans) {
    it(`§3.6 boolean string ${JSON.stringify(text)} → ${String(expected)}`, () => {
      assert.equal(parseBooleanString(text), expected);
    });
  }

  it('§3.8 / style.md §7 Groups: a one-element list is unwrapped', () => {
    assert.equal(unwrapSingleValue([{ value: 'Team' }], false), 'Team');
    assert.equal(unwrapSingleValue(['ext-1'], false), 'ext-1');
    assert.deepEqual(unwrapSingleValue([{ $ref: 'https://x/Users/m', value: 'm' }], true), { $ref: 'https://x/Users/m', value: 'm' });
  });

  it('an empty list means no value; several values and non-lists are left for the type check', () => {
    assert.equal(unwrapSingleValue([], false), null);
    assert.deepEqual(unwrapSingleValue(['a', 'b'], false), ['a', 'b']);
    assert.equal(unwrapSingleValue('plain', false), 'plain');
    assert.deepEqual(unwrapSingleValue([{ display: 'x' }], false), { display: 'x' });
  });

  it('§3.3 / §3.8 a bare manager id becomes {"value": id}; "" clears it', () => {
    assert.deepEqual(referenceFromString('mgr-1'), { value: 'mgr-1' });
    assert.equal(referenceFromString(''), null);
  });

  it('§3.9 a remove with a value list removes only the listed values; a lone object is a list of one', () => {
    assert.deepEqual(listedValuesOfRemove([{ value: 'u1' }]), [{ value: 'u1' }]);
    assert.deepEqual(listedValuesOfRemove({ value: 'u1' }), [{ value: 'u1' }]);
    assert.deepEqual(listedValuesOfRemove([]), []);
  });

  it('a remove without value, or with null, removes everything', () => {
    assert.equal(listedValuesOfRemove(undefined), undefined);
    assert.equal(listedValuesOfRemove(null), undefined);
  });
});
