import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';

/** The Kafka connection settings of an app's configuration (KAFKA_TLS, KAFKA_TLS_CA_FILE, KAFKA_SASL_*). */
export interface KafkaSecuritySettings {
  KAFKA_TLS: 'on' | 'off';
  KAFKA_TLS_CA_FILE?: string;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/** kafkajs `ssl` and `sasl` options (kafkajs docs, "Client Configuration": SSL, SASL). */
export interface KafkaSecurity {
  ssl?: true | { ca: string[] };
  sasl?: SASLOptions;
}

/**
 * The TLS and SASL options of a kafkajs client from the configuration: TLS on KAFKA_TLS=on (the
 * system's CAs, or those of KAFKA_TLS_CA_FILE, PEM); SASL when KAFKA_SASL_MECHANISM is set
 * (SCRAM-SHA-256/512 or PLAIN; use PLAIN only over TLS).
 * @throws Error naming the variable when the mechanism lacks its username or password, or the CA file cannot be read.
 */
export function kafkaSecurity(
  c: KafkaSecuritySettings,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): KafkaSecurity {
  const out: KafkaSecurity = {};
  if (c.KAFKA_TLS === 'on') {
    if (c.KAFKA_TLS_CA_FILE) {
      try {
        out.ssl = { ca: [readFile(c.KAFKA_TLS_CA_FILE)] };
      } catch (err) {
        throw new Error(`KAFKA_TLS_CA_FILE ${c.KAFKA_TLS_CA_FILE} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
          cause: err,
        });
      }
    } else {
      out.ssl = true;
    }
  }
  if (c.KAFKA_SASL_MECHANISM) {
    if (!c.KAFKA_SASL_USERNAME || !c.KAFKA_SASL_PASSWORD) {
      throw new Error('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM');
    }
    const credentials = { username: c.KAFKA_SASL_USERNAME, password: c.KAFKA_SASL_PASSWORD };
    out.sasl =
      c.KAFKA_SASL_MECHANISM === 'plain'
        ? { mechanism: 'plain', ...credentials }
        : c.KAFKA_SASL_MECHANISM === 'scram-sha-256'
          ? { mechanism: 'scram-sha-256', ...credentials }
          : { mechanism: 'scram-sha-512', ...credentials };
  }
  return out;
}
