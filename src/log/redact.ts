// Secrets never reach a log line or an error message: connection strings lose their password,
// and known secret-looking values are masked wherever they appear.

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)([^@/\s]+)(@)/gi;
const KEY_VALUE = /\b(password|passwd|pwd|secret|secret_access_key|aws_secret_access_key|session_token|token|hmac_key|pii_key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi;
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

export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('***');
  return out
    .replace(URL_PASSWORD, '$1***$3')
    .replace(KEY_VALUE, '$1$2***')
    .replace(AWS_ACCESS_KEY, '$1****************');
}
