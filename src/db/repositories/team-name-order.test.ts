import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sortByTeamName } from './team-name-order.js';

const names = (teams: { display_name: string }[]) => sortByTeamName(teams).map((t) => t.display_name);

describe('sortByTeamName', () => {
  it('orders by lower-cased name, as the display_name_lower column sorts', () => {
    assert.deepEqual(names([{ display_name: 'beta' }, { display_name: 'Alpha' }, { display_name: 'alpha crew' }]), ['Alpha', 'alpha crew', 'beta']);
  });

  it('puts astral characters after U+E000–U+FFFF, in code point order as SQLite compares text', () => {
    // UTF-16 code units would put "😀" (U+1F600, surrogates U+D83D U+DE00) before "ｚ" (U+FF5A).
    assert.deepEqual(names([{ display_name: 'team 😀' }, { display_name: 'team ｚ' }, { display_name: 'team z' }]), ['team z', 'team ｚ', 'team 😀']);
  });
});
