import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { openDatabase, type Database } from './database.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { DatabaseConfig } from './driver.js';
import { UnitOfWorkRunner } from './unit-of-work.js';

/** Injects the `Database` (client, kind, close). */
export const DATABASE = Symbol('canopy:database');
/** Injects the `PrismaClient`: `constructor(@Inject(PRISMA) private readonly prisma: PrismaClient)`. */
export const PRISMA = Symbol('canopy:prisma');

/** Injects the `SqlClient`: single statements on hot paths, without the ORM's client runtime. */
export const SQL = Symbol('canopy:sql');

/** Shorthand for `@Inject(PRISMA)`. */
export const InjectPrisma = (): ParameterDecorator & PropertyDecorator => Inject(PRISMA);

@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/** Whether the database answers (readiness). */
@Injectable()
export class DatabaseHealth {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async check(): Promise<'up' | 'down'> {
    return this.prisma.$queryRaw`SELECT 1`.then(
      () => 'up' as const,
      () => 'down' as const,
    );
  }
}

export interface PersistenceModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: any[]) => DatabaseConfig | Promise<DatabaseConfig>;
}

/**
 * Global module providing `DATABASE`, `PRISMA`, `SQL`, the `UnitOfWorkRunner` and `DatabaseHealth`,
 * for repositories. The database is opened (and, for PGlite or with `applyMigrations`, migrated)
 * while the application initializes, and closed on shutdown
 * (`app.close()`, or a signal with `enableShutdownHooks()`).
 */
@Module({})
export class PersistenceModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    return PersistenceModule.forRootAsync({ useFactory: () => config });
  }

  static forRootAsync(options: PersistenceModuleAsyncOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: DATABASE,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => openDatabase(await options.useFactory(...args)),
        },
        { provide: PRISMA, inject: [DATABASE], useFactory: (database: Database) => database.prisma },
        { provide: SQL, inject: [DATABASE], useFactory: (database: Database) => database.sql },
        {
          provide: UnitOfWorkRunner,
          inject: [DATABASE],
          useFactory: (database: Database) => new UnitOfWorkRunner(database.prisma, database.sql),
        },
        DatabaseCloser,
        DatabaseHealth,
      ],
      exports: [DATABASE, PRISMA, SQL, UnitOfWorkRunner, DatabaseHealth],
    };
  }
}
