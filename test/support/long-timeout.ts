// Integration and end-to-end tests wait on real services (Kafka rebalances, Jasmin restarts, retry backoffs).
jest.setTimeout(Number(process.env.TEST_TIMEOUT_MS ?? 180000));
