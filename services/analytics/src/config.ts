import { databaseShape, httpPort, loadConfig, platformShape } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';

export const analyticsConfigShape = {
  ...platformShape,
  ...databaseShape,
  // The outbox (erasure reports) encrypts its payloads at rest like every service's (docs/security.md).
  ...encryptionConfigShape,
  HTTP_PORT: httpPort(3108),
};

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;
export const loadAnalyticsConfig = (env = process.env) => {
  const config = loadConfig(analyticsConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
