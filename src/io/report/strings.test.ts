import { describe, expect, it } from 'vitest';
import { DISCREPANCY_ACTIONS, DISCREPANCY_KINDS } from '../../core/reconcile/index.js';
import { BRIDGE_STEPS } from '../../core/reconcile/summary.js';
import { REPORT_LANGS, REPORT_STRINGS, stringsFor } from './strings.js';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('the table of report labels', () => {
  it('has every label in every language, none empty, with the same placeholders', () => {
    const keys = Object.keys(REPORT_STRINGS.en.labels).sort();
    for (const lang of REPORT_LANGS) {
      const labels = REPORT_STRINGS[lang].labels as Readonly<Record<string, string>>;
      expect(Object.keys(labels).sort()).toEqual(keys);
      for (const key of keys) {
        const text = labels[key] ?? '';
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(
          placeholders((REPORT_STRINGS.en.labels as Readonly<Record<string, string>>)[key] ?? ''),
        );
      }
    }
  });

  it('names every kind, action and bridge step in every language', () => {
    for (const lang of REPORT_LANGS) {
      const kinds = REPORT_STRINGS[lang].kinds;
      for (const kind of DISCREPANCY_KINDS) {
        expect(kinds.descriptions[kind].trim(), `${lang} ${kind}`).not.toBe('');
        expect(kinds.kindActions[kind].trim(), `${lang} ${kind}`).not.toBe('');
      }
      for (const action of DISCREPANCY_ACTIONS) expect(kinds.actions[action].trim()).not.toBe('');
      for (const step of BRIDGE_STEPS) expect(kinds.steps[step].trim()).not.toBe('');
      expect(Object.keys(kinds.descriptions).sort()).toEqual([...DISCREPANCY_KINDS].sort());
    }
  });

  it('the Chinese labels are Chinese', () => {
    expect(stringsFor('zh-CN').t('totals')).toBe('合计');
    expect(stringsFor('zh-CN').kinds.actions.claim).toBe('追回');
  });
});

describe('counts with their noun', () => {
  it('1 discrepancy, 2 discrepancies, 0 discrepancies', () => {
    const en = stringsFor('en');
    expect(en.plural('discrepancy', 1)).toBe('1 discrepancy');
    expect(en.plural('discrepancy', 2)).toBe('2 discrepancies');
    expect(en.plural('discrepancy', 0)).toBe('0 discrepancies');
    expect(en.plural('item', 1)).toBe('1 item');
    expect(en.plural('note', 16)).toBe('16 notes');
  });

  it('a large count is grouped: 1,000,000 items', () => {
    expect(stringsFor('en').plural('item', 1_000_000)).toBe('1,000,000 items');
  });

  it('a placeholder without a value stays as written', () => {
    expect(stringsFor('en').t('title')).toBe('Bill reconciliation {period}');
  });
});
