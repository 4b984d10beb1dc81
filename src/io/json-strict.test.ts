import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { InputError } from './errors.js';
import { parseJsonStrict } from './json-strict.js';

describe('parseJsonStrict', () => {
  it('parses JSON as JSON.parse does, dropping a byte order mark', () => {
    expect(parseJsonStrict('\uFEFF{"a": [1, {"b": "x"}], "c": null}', 't.json')).toEqual({
      a: [1, { b: 'x' }],
      c: null,
    });
  });

  it('names a key given twice at the top of the tariff, and where the second one is', () => {
    expect(() =>
      parseJsonStrict('{\n  "currency": "CNY",\n  "currency": "USD"\n}', 'tariff.json'),
    ).toThrow(
      'tariff.json: the key "currency" appears twice in $ (again at line 3, column 3); keep one',
    );
  });

  it('names the path of a nested object that repeats a key', () => {
    const text = '{"rates": [{"id": "a"}, {"id": "b", "when": {"x": 1, "x": 2}}]}';
    expect(() => parseJsonStrict(text, 'tariff.json')).toThrow(
      'the key "x" appears twice in $.rates[1].when',
    );
  });

  it('compares keys after unescaping, as JSON.parse does', () => {
    expect(() => parseJsonStrict('{"a": 1, "\\u0061": 2}', 'm.json')).toThrow(
      'the key "a" appears twice',
    );
  });

  it('allows the same key in different objects, and keys that hold escapes and brackets', () => {
    const text = '[{"a": 1}, {"a": 2}, {"k\\"}]": "v,\\"x", "k": [{}, []]}]';
    expect(parseJsonStrict(text, 'm.json')).toEqual(JSON.parse(text));
  });

  it('reports text that is not JSON as an input error naming the file', () => {
    expect(() => parseJsonStrict('{"a": }', 'map.json')).toThrow(InputError);
    expect(() => parseJsonStrict('{"a": }', 'map.json')).toThrow(/^map\.json: not valid JSON/);
  });
});

describe('properties', () => {
  it('reads any JSON without repeated keys as JSON.parse does, however it is spaced', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, space) => {
        const text = JSON.stringify(value, null, space);
        expect(parseJsonStrict(text, 'x.json')).toEqual(JSON.parse(text));
      }),
    );
  });

  it('refuses any object with a key written twice', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.string(),
        (object, extra) => {
          const keys = Object.keys(object);
          const key = keys[extra.length % keys.length]!;
          const text = `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(key)}:0}`;
          expect(() => parseJsonStrict(`[${text}]`, 'x.json')).toThrow(
            `the key ${JSON.stringify(key)} appears twice in $[0]`,
          );
        },
      ),
    );
  });
});
