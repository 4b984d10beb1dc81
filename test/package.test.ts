import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sources(join(root, 'src'));

/** The code of a file without its comments (TSDoc examples import the package by name). */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

function packagesImportedBy(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'([@a-z][^']*)'/gm)) {
    const spec = match[1] as string;
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.push(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string));
  }
  return names;
}

describe('the package', () => {
  it('its runtime dependencies are exactly the packages the runtime code imports', () => {
    const imported = new Set(files.flatMap((file) => packagesImportedBy(code(file))));
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });

  it('pins every dependency to an exact version', () => {
    for (const version of [
      ...Object.values(pkg.dependencies),
      ...Object.values(pkg.devDependencies),
    ]) {
      expect(version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    }
  });

  it('has no runtime source file over 400 lines: each file does one job', () => {
    const long = files
      .map((file) => [relative(root, file), readFileSync(file, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });

  it('has no import cycle between runtime modules', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const deps: string[] = [];
      // Type-only imports vanish at run time; value imports must form no cycle.
      for (const match of code(file).matchAll(
        /(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)\.js'/g,
      )) {
        deps.push(join(file, '..', `${match[1] as string}.ts`));
      }
      graph.set(file, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push(
          stack
            .slice(stack.indexOf(file))
            .map((f) => relative(root, f))
            .join(' → '),
        );
        return;
      }
      state.set(file, 'open');
      stack.push(file);
      for (const dep of graph.get(file) ?? []) visit(dep);
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) visit(file);
    expect(cycles).toEqual([]);
  });
});
