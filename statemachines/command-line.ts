/**
 * Splits a command line into words the way a POSIX shell quotes, and does nothing else a shell does: no
 * variable, glob, tilde or command expansion, no pipes or redirections (`|`, `>` and `$HOME` are plain
 * characters of a word). `generic` jobs run the resulting argv directly (docs/api.md, "Jobs"), so a
 * value from a template can never become shell code.
 *
 * - outside quotes, blanks separate words and `\` keeps the next character literally;
 * - `'…'` keeps everything literally;
 * - `"…"` keeps everything but `\"`, `\\`, `` \` `` and `\$`, which lose their backslash.
 */
export type SplitResult = { ok: true; words: string[] } | { ok: false; error: string };

export function splitCommandLine(line: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === '\\') {
      if (i + 1 >= line.length) return { ok: false, error: 'the command line ends with a lone backslash' };
      // A backslash-newline joins lines, as in a shell.
      if (line[i + 1] !== '\n') word += line[i + 1];
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: `the command line has an unterminated ' quote at character ${i}` };
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= line.length) return { ok: false, error: `the command line has an unterminated " quote at character ${i}` };
        const d = line[j]!;
        if (d === '"') break;
        if (d === '\\' && j + 1 < line.length && '"\\`$'.includes(line[j + 1]!)) {
          word += line[j + 1];
          j += 2;
        } else {
          word += d;
          j++;
        }
      }
      i = j + 1;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) return { ok: false, error: 'the command line has no words' };
  return { ok: true, words };
}

/**
 * The reverse, for a POSIX shell: every word single-quoted (even plain ones, so `if` or `A=b` is never a
 * keyword or an assignment), so `eval` runs exactly these words as one simple command (CodeBuild).
 */
export function quoteForShell(words: readonly string[]): string {
  return words.map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(' ');
}
