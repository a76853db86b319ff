import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidName } from './names.js';

test('names: letters, digits, - _ . and any other character AWS does not list', () => {
  for (const name of ['m', 'my-machine_1.v2', 'Ünïcode', '123']) assert.ok(isValidName(name), name);
  for (const name of ['a b', 'a\tb', 'a<b', 'a>b', 'a{b', 'a}b', 'a[b', 'a]b', 'a?b', 'a*b', 'a"b', 'a#b', 'a%b', 'a\\b', 'a^b', 'a|b', 'a~b', 'a`b', 'a$b', 'a&b', 'a,b', 'a;b', 'a:b', 'a/b', 'a\u0000b', 'a\u007fb', 'a\u009fb']) {
    assert.ok(!isValidName(name), JSON.stringify(name));
  }
});
