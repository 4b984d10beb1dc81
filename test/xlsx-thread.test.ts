import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createTimeZone, parseTariff } from '../src/index.js';
import { billRow, fee, reconcileRows, REPORT_TARIFF } from './helpers/report-month.js';
import { BUILT_IO, builtIo } from './helpers/io.js';

// The thread runs the built worker script: these tests use the built module.

const dir = mkdtempSync(join(tmpdir(), 'callrecon-xlsx-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function month(): Promise<Awaited<ReturnType<typeof reconcileRows>>> {
  return reconcileRows(
    [fee('a', 65), fee('b', 30, 5), fee('c', 125, 10)],
    [
      billRow('a', 65, '0.24'),
      billRow('12345678901234567890', 40, '0.12', 30),
      billRow('c', 125, '0.48', 10),
      { amount: '10.00', item: 'rent' },
    ],
  );
}

describe('report.xlsx written in a thread of its own', () => {
  it('is the same file, byte for byte, as the workbook written in this thread, whatever the options', async () => {
    const { writeXlsxInThread, writeXlsxReport } = await builtIo();
    const result = await month();
    for (const options of [{}, { showNumbers: true }, { lang: 'zh-CN' as const }]) {
      const here = join(dir, `here-${Object.keys(options).join('')}.xlsx`);
      const there = join(dir, `there-${Object.keys(options).join('')}.xlsx`);
      await writeXlsxReport(here, result.summary, result, options);
      await writeXlsxInThread(there, result.summary, result, options);
      expect(readFileSync(there).equals(readFileSync(here))).toBe(true);
    }
  });

  it('ignores an option that is a function, as the workbook written in this thread does (a caller may pass its own options object)', async () => {
    const { writeXlsxInThread, writeXlsxReport } = await builtIo();
    const result = await month();
    const options = { showNumbers: true, onDone: () => {} };
    const here = join(dir, 'here-callback.xlsx');
    const there = join(dir, 'there-callback.xlsx');
    await writeXlsxReport(here, result.summary, result, options);
    await writeXlsxInThread(there, result.summary, result, options);
    expect(readFileSync(there).equals(readFileSync(here))).toBe(true);
  });

  it('is used by the next report once started, which is the same folder, byte for byte, as without it', async () => {
    const { startXlsxThread, xlsxThreadStarted, writeReport, REPORT_FILES } = await builtIo();
    const result = await month();
    const context = { tariff: parseTariff(REPORT_TARIFF), zone: createTimeZone('Asia/Shanghai') };
    const here = join(dir, 'report-here');
    await writeReport(here, result, result.summary, context, { lang: 'zh-CN' });
    startXlsxThread();
    expect(xlsxThreadStarted()).toBe(true);
    const there = join(dir, 'report-there');
    await writeReport(there, result, result.summary, context, { lang: 'zh-CN' });
    // Used once: the report after it is written in this thread again.
    expect(xlsxThreadStarted()).toBe(false);
    for (const file of REPORT_FILES) {
      expect(readFileSync(join(there, file)).equals(readFileSync(join(here, file))), file).toBe(
        true,
      );
    }
  });

  it('fails with the file system error of the workbook, its errno code kept, and names the file', async () => {
    const { writeXlsxInThread } = await builtIo();
    const result = await month();
    const path = join(dir, 'no-such-folder', 'report.xlsx');
    await expect(writeXlsxInThread(path, result.summary, result, {})).rejects.toMatchObject({
      code: 'ENOENT',
      message: expect.stringContaining('no-such-folder') as unknown,
    });
  });

  it('does not keep the process alive when it is started and never used (a run that fails first)', async () => {
    const script = `import(${JSON.stringify(pathToFileURL(BUILT_IO).href)}).then((io) => { io.startXlsxThread(); console.log('started'); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('started');
  });
});
