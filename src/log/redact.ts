// Secrets never reach a log line or an error message: connection strings lose their password,
// secret-looking key=value pairs their value, and values registered from the environment are
// masked wherever they appear. Files pgshift writes (compiled SQL, manifest, run results) get
// only the last of these, maskSecrets(): their text is SQL and data, where `token = 'abc'` is
// a predicate to keep, not a credential.

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)([^@/\s]+)(@)/gi;
// Names that only mean a credential take `=` or `:`; the plain words `token` and `secret` only
// `=` (a DSN or query string), since `unexpected token: }` is a parser message, not a secret.
const KEY_VALUE =
  /\b(?:(password|passwd|pwd|secret_access_key|aws_secret_access_key|session_token|hmac_key|pii_key)(\s*[=:]\s*)|(token|secret)(\s*=\s*))("[^"]*"|'[^']*'|[^\s,;&]+)/gi;
const AWS_ACCESS_KEY = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;

const knownSecrets = new Set<string>();

/** Registers a value (from the environment) that must never be printed. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) knownSecrets.add(value);
}

/** Environment variables whose values are secrets wherever they show up. */
const SECRET_VARIABLES = ['PGSHIFT_PII_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'PGPASSWORD', 'PGSHIFT_REDSHIFT_SECRET_ARN'];

export function registerEnvironmentSecrets(env: Readonly<Record<string, string | undefined>> = process.env): void {
  for (const name of SECRET_VARIABLES) registerSecret(env[name]);
}

/** Masks the registered secret values only; the rest of the text stays exactly as it was. */
export function maskSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('***');
  return out;
}

/** For log lines and error messages: registered secrets, URL passwords, key=value secrets, AWS keys. */
export function redact(text: string): string {
  return maskSecrets(text)
    .replace(URL_PASSWORD, '$1***$3')
    .replace(
      KEY_VALUE,
      (_match, key: string | undefined, separator: string | undefined, word: string | undefined, wordSeparator: string | undefined) =>
        `${key ?? word}${separator ?? wordSeparator}***`,
    )
    .replace(AWS_ACCESS_KEY, '$1****************');
}
