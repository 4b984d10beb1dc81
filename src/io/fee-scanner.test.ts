import { describe, expect, it } from 'vitest';
import { fc } from '../../test/helpers/fast-check.js';
import { FEE_FIELDS } from '../core/records.js';
import { CdrSink } from './cdr-sink.js';
import { parseFeeLine, readFeeLine } from './fee-line.js';
import { scanPush } from './fee-scanner.js';

/** The items of one line read by the scanner (JSON.parse for what it leaves). */
function scanned(text: string, start = 0, end = text.length, suspect = false): CdrSink['items'] {
  const sink = new CdrSink('x', 'utf-8');
  sink.suspect = suspect;
  readFeeLine(text, start, end, 7, sink);
  return sink.items;
}

/** The items of one line read by JSON.parse and the key check after it. */
function parsed(line: string, suspect = false): CdrSink['items'] {
  const sink = new CdrSink('x', 'utf-8');
  sink.suspect = suspect;
  parseFeeLine(line, 7, sink);
  return sink.items;
}

const reasons = (items: CdrSink['items']): string[] =>
  items.map((item) => (item.type === 'rejected' ? item.issue.reason : item.type));

describe('the field scanner', () => {
  it('reads a real push itself: the fee fields as text, the others dropped', () => {
    const line =
      '{"eventType":"fee","feeLst":[{"direction":0,"spId":"sp","icid":"i.1","sessionId":"s1",' +
      '"fwdAnswerTime":"2026-10-01 00:00:05","fwdUnaswRsn":0,"recordFlag":true,"hostName":"h",' +
      '"mode":null,"appKey":""},{"sessionId":"s2","direction":1.5,"userData":{"a":[1,{}]}}]}';
    const scan = scanPush(line, 0, line.length);
    expect(scan?.kind).toBe('fee');
    expect(scan?.records).toEqual([
      {
        sessionId: 's1',
        icid: 'i.1',
        fwdAnswerTime: '2026-10-01 00:00:05',
        direction: '0',
        spId: 'sp',
      },
      { sessionId: 's2', direction: '1.5' },
    ]);
    expect(scanned(line)).toEqual(parsed(line));
  });

  it('finds a key given twice in the same pass, and names the first one found', () => {
    const body = '{"feeLst":[{"sessionId":"a"}],"eventType":"fee","feeLst":[]}';
    const info = '{"feeLst":[{"sessionId":"a","icid":"b","hostName":"h","icid":"c"}]}';
    const other = '{"feeLst":[{"x":1,"sessionId":"a","x":2}]}';
    expect(scanPush(body, 0, body.length)?.kind).toBe('duplicate');
    expect(reasons(scanned(body))).toEqual([
      'the key "feeLst" is given twice in a push body (which one holds?)',
    ]);
    expect(reasons(scanned(info))).toEqual([
      'the key "icid" is given twice in a FeeInfo (which one holds?)',
    ]);
    expect(reasons(scanned(other))).toEqual([
      'the key "x" is given twice in a FeeInfo (which one holds?)',
    ]);
    for (const line of [body, info, other]) expect(scanned(line)).toEqual(parsed(line));
  });

  it('a key given twice after which the line is not JSON is rejected as not JSON', () => {
    const line = '{"feeLst":[{"icid":"a","icid":"b"}],oops}';
    expect(scanPush(line, 0, line.length)).toBeUndefined();
    expect(reasons(scanned(line))[0]).toMatch(/^not valid JSON: /);
  });

  it('a line that ends inside a number is left to JSON.parse, which rejects it', () => {
    for (const line of ['{"feeLst":[{"direction":5', '{"a":-1', '5']) {
      expect(scanPush(line, 0, line.length)).toBeUndefined();
      expect(scanned(line).map((item) => item.type)).toEqual(['rejected']);
      expect(scanned(line)).toEqual(parsed(line));
    }
  });

  it('reads the line between start and end only, whatever the text around it holds', () => {
    const line = '{"feeLst":[{"sessionId":"a","direction":5}]}';
    for (const [before, after] of [
      ['', ']}'],
      ['x', '5'],
      ['}', '"'],
      ['', ',"b":1}'],
    ] as const) {
      const text = before + line.slice(0, -2) + after;
      const cut = before.length + line.length - 2;
      expect(scanPush(text, before.length, cut)).toBeUndefined();
      expect(scanned(text, before.length, cut)).toEqual(parsed(line.slice(0, -2)));
    }
  });

  it('leaves to JSON.parse what it does not read: escaped keys, SMS, arrays, odd fields', () => {
    for (const line of [
      '{"session\\u0049d":"s"}',
      '{"smsEvent":{"smsIdentifier":"m"}}',
      '[{"sessionId":"a"}]',
      '{"feeLst":[{"sessionId":{"a":1}}]}',
      '{"feeLst":[{"sessionId":12345678901234567890}]}',
      '{"feeLst":{}}',
      '{"feeLst":[1]}',
      '\uFEFF{"sessionId":"a"}',
    ]) {
      expect(scanPush(line, 0, line.length)).toBeUndefined();
      expect(scanned(line)).toEqual(parsed(line));
    }
  });

  it('values with escapes are decoded, numbers read as JSON.parse reads them', () => {
    const line =
      '{"sessionId":"a\\"b\\u00e9\\n","icid":-0,"direction":1E2,"mode":0.10,"spId":true,"appKey":false}';
    expect(scanPush(line, 0, line.length)?.records).toEqual([
      {
        sessionId: 'a"bé\n',
        icid: '0',
        direction: '100',
        mode: '0.1',
        spId: 'true',
        appKey: 'false',
      },
    ]);
  });

  it('a value holding bytes invalid in the encoding rejects its record, as after JSON.parse', () => {
    const line = '{"feeLst":[{"sessionId":"a\uFFFD"},{"sessionId":"b"}]}';
    expect(reasons(scanned(line, 0, line.length, true))).toEqual([
      'sessionId holds bytes that are not valid utf-8; a GB18030/GBK file needs --encoding gb18030',
      'fee',
    ]);
    expect(scanned(line, 0, line.length, true)).toEqual(parsed(line, true));
  });

  it('nesting deeper than it tracks goes to JSON.parse', () => {
    const deep = `{"userData":${'['.repeat(2000)}${']'.repeat(2000)},"sessionId":"a"}`;
    expect(scanPush(deep, 0, deep.length)).toBeUndefined();
    expect(scanned(deep)).toEqual(parsed(deep));
    const shallow = `{"userData":${'[{"a":'.repeat(100)}1${'}]'.repeat(100)},"sessionId":"a"}`;
    expect(scanPush(shallow, 0, shallow.length)?.records).toEqual([{ sessionId: 'a' }]);
  });

  describe('properties', () => {
    const KEYS = [...FEE_FIELDS, 'eventType', 'feeLst', 'hostName', 'fwdUnaswRsn', 'userData', 'x'];
    const textArb = fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^[\w +:.@-]{0,20}$/) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '',
          'a"b',
          'a\\b',
          'é\u2028',
          '\u0001',
          '\u001f',
          '\u007f',
          '\uFFFD',
          '中',
        ),
      },
    );
    const numberArb = fc.oneof(
      fc.integer().map(String),
      fc.constantFrom('0', '-0', '1.5', '0.10', '1e21', '1E-7', '-12', '9007199254740993'),
      fc.constantFrom('123456789012345', '1234567890123456', '2e308', '-1.0e+2'),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    );
    const scalarArb: fc.Arbitrary<string> = fc.oneof(
      { weight: 5, arbitrary: textArb.map((text) => JSON.stringify(text)) },
      { weight: 3, arbitrary: numberArb },
      { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') },
    );
    const valueArb: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { weight: 6, arbitrary: scalarArb },
        {
          weight: 1,
          arbitrary: fc.array(tie('value'), { maxLength: 3 }).map((v) => `[${v.join(',')}]`),
        },
        {
          weight: 1,
          arbitrary: fc
            .array(fc.tuple(fc.constantFrom('k', 'j', 'sessionId'), tie('value')), { maxLength: 3 })
            .map(
              (members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`,
            ),
        },
      ),
    })).value;
    /** A FeeInfo: its members in any order, fee fields mostly strings. */
    const infoArb = fc
      .array(
        fc.tuple(fc.constantFrom(...KEYS), fc.oneof({ weight: 3, arbitrary: scalarArb }, valueArb)),
        {
          maxLength: 12,
        },
      )
      .map((members) => {
        const seen = new Set<string>();
        const unique = members.filter(([key]) => !seen.has(key) && seen.add(key));
        return `{${unique.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
      });
    const pushArb = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .record(
            {
              eventType: fc.constantFrom('"fee"', '"callin"', 'null', '7', '{}', '"f\\u0065e"'),
              feeLst: fc.oneof(
                {
                  weight: 5,
                  arbitrary: fc.array(infoArb, { maxLength: 4 }).map((l) => `[${l.join(',')}]`),
                },
                { weight: 1, arbitrary: valueArb },
              ),
              sessionId: scalarArb,
              smsEvent: fc.constantFrom(
                '{"smsIdentifier":"m","extInfo":{"extParas":{"splitNum":2}}}',
                'null',
                '[]',
                '"sms"',
              ),
            },
            { requiredKeys: [] },
          )
          .chain((body) =>
            fc.shuffledSubarray(Object.entries(body), { minLength: Object.keys(body).length }),
          )
          .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
      },
      { weight: 2, arbitrary: infoArb },
      { weight: 1, arbitrary: fc.array(infoArb, { maxLength: 2 }).map((l) => `[${l.join(',')}]`) },
    );

    type Edit = readonly [kind: string, at: number, piece: string];
    const editArb: fc.Arbitrary<Edit> = fc.tuple(
      fc.constantFrom(
        'truncate',
        'repeat',
        'escape',
        'insert',
        'insert',
        'change',
        'remove',
        'wrap',
        'number',
        'bom',
      ),
      fc.nat(),
      fc.constantFrom(
        // bad numbers
        '01',
        '1.',
        '-',
        '1e',
        '+1',
        '.5',
        'NaN',
        'Infinity',
        '-01',
        // structure
        '"',
        '\\',
        ',',
        ':',
        '{',
        '}',
        '[',
        ']',
        'n',
        'x',
        'tru',
        'null',
        // blanks, JSON's and not
        ' ',
        '\t',
        '\n',
        '\r',
        '\u00a0',
        '\f',
        '\u2028',
        '\u000b',
        // text
        'é',
        '中',
        '\ud800',
        '\u0001',
        '\u001f',
        '\u007f',
        '\uFFFD',
        '\\u0041',
        '\\x',
        '\\"',
      ),
    );
    const NUMBERS = [
      ...['01', '00', '-01', '1.', '.5', '-', '+1', '1e', '1e+', '0x1', '1_0', '--1', '1.5.2'],
      ...['0', '-0', '1E5', '0.5e-3', '12345678901234567', '-9007199254740991', '1e400'],
    ];
    /** Applies one edit; `escape` spells a letter of a key or value as `\uXXXX`. */
    function edit(line: string, [kind, at, piece]: Edit): string {
      const i = line.length === 0 ? 0 : at % line.length;
      switch (kind) {
        case 'truncate':
          return line.slice(0, i);
        case 'repeat': {
          const key = line.indexOf('"', i);
          const close = key < 0 ? -1 : line.indexOf('":', key + 1);
          return close > 0
            ? `${line.slice(0, key)}"${line.slice(key + 1, close)}":${piece === 'null' ? 'null' : '1'},${line.slice(key)}`
            : line;
        }
        case 'escape': {
          const j = line.slice(i).search(/[A-Za-z]/);
          if (j < 0) return line;
          const code = line
            .charCodeAt(i + j)
            .toString(16)
            .padStart(4, '0');
          return `${line.slice(0, i + j)}\\u${code}${line.slice(i + j + 1)}`;
        }
        case 'insert':
          return line.slice(0, i) + piece + line.slice(i);
        case 'change':
          return line.slice(0, i) + piece + line.slice(i + 1);
        case 'remove':
          return line.slice(0, i) + line.slice(i + 1);
        case 'number': {
          // A value after a colon becomes a number, well or badly written.
          const colon = line.indexOf(':', i);
          if (colon < 0) return line;
          const end = line.slice(colon + 1).search(/[,}\]]/);
          if (end < 0) return line;
          return (
            line.slice(0, colon + 1) + NUMBERS[at % NUMBERS.length] + line.slice(colon + 1 + end)
          );
        }
        case 'wrap': {
          // A value nested one level more: after a colon, `[` … `]` around the next scalar.
          const colon = line.indexOf(':', i);
          if (colon < 0) return line;
          const end = line.slice(colon + 1).search(/[,}\]]/);
          if (end < 0) return line;
          const to = colon + 1 + end;
          return `${line.slice(0, colon + 1)}[${line.slice(colon + 1, to)}]${line.slice(to)}`;
        }
        default:
          return `\uFEFF${line}`;
      }
    }
    const lineArb = fc
      .tuple(
        pushArb,
        fc.oneof(
          { weight: 2, arbitrary: fc.constant([]) },
          { weight: 3, arbitrary: fc.array(editArb, { minLength: 1, maxLength: 1 }) },
          { weight: 1, arbitrary: fc.array(editArb, { minLength: 2, maxLength: 3 }) },
        ),
        fc.constantFrom('', ' ', '\r', ' \t'),
      )
      .map(([text, edits, tail]) => edits.reduce(edit, text) + tail);

    it('the scanner and JSON.parse give the same items, or the same rejection, for any line', () => {
      fc.assert(
        fc.property(lineArb, fc.boolean(), (line, suspect) => {
          expect(scanned(line, 0, line.length, suspect)).toEqual(parsed(line, suspect));
        }),
        { numRuns: 5000 },
      );
    });

    it('the same, with the line inside a longer text and only its span read', () => {
      const aroundArb = fc.constantFrom('', '}', ']', '"', '5', ',"a":1}', '\n{"x":[', 'e7');
      fc.assert(
        fc.property(lineArb, aroundArb, aroundArb, (line, before, after) => {
          const text = before + line + after;
          expect(scanned(text, before.length, before.length + line.length)).toEqual(parsed(line));
        }),
        { numRuns: 2000 },
      );
    });

    it('the scanner reads every push of plain fields itself, in any key order', () => {
      const plainInfoArb = fc
        .shuffledSubarray([...KEYS.filter((k) => k !== 'feeLst' && k !== 'eventType')])
        .chain((keys) =>
          fc
            .tuple(
              ...keys.map(() =>
                fc.oneof(
                  fc.stringMatching(/^[\w +:-]{0,12}$/).map((v) => JSON.stringify(v)),
                  fc.nat().map(String),
                ),
              ),
            )
            .map((values) => `{${keys.map((k, i) => `"${k}":${values[i] ?? '0'}`).join(',')}}`),
        );
      fc.assert(
        fc.property(fc.array(plainInfoArb, { maxLength: 5 }), (infos) => {
          const line = `{"eventType":"fee","feeLst":[${infos.join(',')}]}`;
          const scan = scanPush(line, 0, line.length);
          expect(scan?.kind).toBe('fee');
          expect(scan?.records).toHaveLength(infos.length);
          expect(scanned(line)).toEqual(parsed(line));
        }),
      );
    });
  });
});
