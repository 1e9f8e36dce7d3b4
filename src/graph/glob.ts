// Unix shell wildcards as dbt selectors use them: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`.

const cache = new Map<string, RegExp>();

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** True when `text` matches `pattern` entirely. */
export function globMatch(pattern: string, text: string): boolean {
  if (!hasWildcard(pattern)) return pattern === text;
  let regex = cache.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${globToRegexSource(pattern)}$`, 's');
    cache.set(pattern, regex);
  }
  return regex.test(text);
}

function globToRegexSource(pattern: string): string {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = pattern.indexOf(']', index + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(index + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      index = close;
    } else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return source;
}
