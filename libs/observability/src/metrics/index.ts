export { METRICS } from './registry';
export { watchPgPool } from './pool-metrics';
export { watchRedis } from './redis-metrics';
export { MetricsController } from './metrics.controller';
export { MetricsModule } from './metrics.module';
