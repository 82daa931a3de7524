import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteForShell, splitCommandLine } from '../../statemachines/command-line.ts';

describe('splitCommandLine', () => {
  it.each([
    ['python script.py', ['python', 'script.py']],
    ['  echo   a\tb  ', ['echo', 'a', 'b']],
    [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
    [`echo it\\'s`, ['echo', "it's"]],
    [`echo "say \\"hi\\" \\$HOME \\\\ \\n"`, ['echo', 'say "hi" $HOME \\ \\n']],
    [`echo '$HOME' $HOME *.txt a|b >out`, ['echo', '$HOME', '$HOME', '*.txt', 'a|b', '>out']],
    [`echo ''`, ['echo', '']],
    [`a"b"'c'd`, ['abcd']],
    ['echo a\\\nb', ['echo', 'ab']],
  ])('%j → %j (quoting only: no expansion, no operators)', (line, words) => {
    expect(splitCommandLine(line)).toEqual({ ok: true, words });
  });

  it.each([
    [`echo 'open`, "unterminated ' quote at character 5"],
    [`echo "open`, 'unterminated " quote at character 5'],
    ['echo \\', 'lone backslash'],
    ['   ', 'no words'],
  ])('%j is refused (%s)', (line, problem) => {
    const split = splitCommandLine(line);
    expect(split.ok).toBe(false);
    expect(!split.ok && split.error).toContain(problem);
  });

  it('quoteForShell is its inverse: every word survives, nothing expands, and a real sh runs exactly those words', () => {
    const words = ['printf', '%s|', "it's", '$HOME', 'a b', '*', '', '$(id)', 'if'];
    const quoted = quoteForShell(words);
    expect(quoted).toBe(`'printf' '%s|' 'it'\\''s' '$HOME' 'a b' '*' '' '$(id)' 'if'`);
    expect(splitCommandLine(quoted)).toEqual({ ok: true, words });
    // What GENERIC_BUILDSPEC does with STEPWISE_ARGV (statemachines/jobs.ts).
    const out = execFileSync('sh', ['-c', 'eval "$STEPWISE_ARGV"'], { env: { PATH: process.env.PATH, STEPWISE_ARGV: quoted } }).toString();
    expect(out).toBe("it's|$HOME|a b|*||$(id)|if|");
  });
});
