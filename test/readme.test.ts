import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('README', () => {
  it('the library example runs against the built package and prints what its comments say', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- library-example');
    expect(start).toBeGreaterThan(0);
    const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
    const code = block?.[1] ?? '';
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    expect(expected.length).toBeGreaterThan(0);
    // Inside the package folder, so that `import 'callrecon'` resolves to this package.
    const dir = mkdtempSync(join(root, '.readme-example-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, code);
      const out = execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
      expect(out.trim().split('\n')).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the two fresh-machine commands', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });

  it("states the sample month's invoice as npm start finds it", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const month = join(root, 'fixtures', '2026-10');
    const manifest = JSON.parse(readFileSync(join(month, 'manifest.json'), 'utf8')) as {
      expected: {
        totals: { difference: string; claimable: string };
        charges: { difference: string };
        invoice: { theirs: string; ours: string; difference: string };
      };
      notes: { numbers: { wrongRent: { amount: string } } };
    };
    const tariff = JSON.parse(readFileSync(join(month, 'tariff.json'), 'utf8')) as {
      charges: { rentPerNumber: string };
    };
    const { totals, charges, invoice } = manifest.expected;
    expect(readme).toContain(`finds the bill CNY ${invoice.difference} over what is owed`);
    expect(readme).toContain(`(CNY ${invoice.theirs} billed, ${invoice.ours} owed)`);
    expect(readme).toContain(
      `${totals.difference} on the calls, and ${charges.difference} on the other charges`,
    );
    expect(readme).toContain(`leads with the CNY ${totals.claimable} to claim back`);
    expect(readme).toContain(
      `rent is billed at ${manifest.notes.numbers.wrongRent.amount} instead of ${tariff.charges.rentPerNumber}`,
    );
  });
});
