import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';

/** Injection token of the app's TypeORM DataSource. */
export const DATA_SOURCE = Symbol('DATA_SOURCE');

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** Provides an initialized DataSource (`DATA_SOURCE`) to the whole app and closes it on shutdown. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(opts: { url: string; applicationName: string; poolSize?: number }): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATA_SOURCE,
          useFactory: async () => createDataSource(opts).initialize(),
        },
        DataSourceCloser,
      ],
      exports: [DATA_SOURCE],
    };
  }
}
