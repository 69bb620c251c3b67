import { CARRIER_KINDS, carrierKind, ConnectorSettingsError } from '@gw/connectors';
import { DomainError } from '@gw/errors';

/**
 * Setting names that hold a secret when given literally (`password`, `smpp_password`, `secret`,
 * `api_key`, `auth_token` ...). The secret goes in the connector process' environment or a mounted
 * file, and the setting names it as `<name>_ref`, which does not match.
 */
const SECRET_NAME = /(^|[_-])(password|passwd|secret|token|api_?key)$/i;

/**
 * The dotted path (`settings.binds.0.password`) of the first key of `settings`, at any depth,
 * that names a secret and is not a `_ref`; undefined when there is none.
 */
export function literalSecretPath(settings: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[settings, 'settings']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}.${i}`]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) if (SECRET_NAME.test(key)) return `${path}.${key}`;
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], `${path}.${entries[i][0]}`]);
    }
  }
  return undefined;
}

/**
 * Checks a connector's `settings` for its `kind` as the connector process will read them: the
 * kind is registered (@gw/connectors CARRIER_KINDS), no setting holds a secret in clear (see
 * literalSecretPath), and the kind's parseSettings accepts them.
 * @throws DomainError validation_failed naming `kind`, or the setting as `settings.<path>`
 */
export function validateConnectorSettings(kind: string, settings: unknown): void {
  const carrier = carrierKind(kind);
  if (!carrier) throw DomainError.invalid('kind', `must be one of: ${CARRIER_KINDS.map((k) => k.kind).join(', ')}`);
  const secret = literalSecretPath(settings);
  if (secret !== undefined) {
    throw DomainError.invalid(
      secret,
      `must not hold a secret in clear: give a secret reference as ${secret.split('.').pop()}_ref (env:NAME or file:/path) instead`,
    );
  }
  try {
    carrier.parseSettings(settings);
  } catch (err) {
    if (!(err instanceof ConnectorSettingsError)) throw err;
    const prefix = `${err.field}: `;
    throw DomainError.invalid(err.field, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message);
  }
}
