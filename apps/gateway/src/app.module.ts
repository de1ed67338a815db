import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { type Database, openDatabase } from '#persistence';
import { AdminAuthGuard } from './auth/admin-auth.guard.js';
import { MerchantAuthGuard } from './auth/merchant-auth.guard.js';
import { GATEWAY_CONFIG, PRISMA, SQL, TREE } from './common/tokens.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { HealthController } from './health/health.controller.js';
import { ExpiredKeys, ExpiredKeysJob } from './idempotency/expired-keys.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { MerchantsService } from './ops/merchants.service.js';
import { OpsController } from './ops/ops.controller.js';
import { PaymentsController } from './payments/payments.controller.js';
import { PaymentsRepository } from './payments/payments.repository.js';
import { RefundsController } from './payments/refunds.controller.js';
import { CapturePayment } from './payments/use-cases/capture-payment.js';
import { CreatePayment } from './payments/use-cases/create-payment.js';
import { SettleAuthorization } from './payments/use-cases/settle-authorization.js';
import { RefundPayment } from './payments/use-cases/refund-payment.js';
import { VoidPayment } from './payments/use-cases/void-payment.js';
import { NodeStatsService } from './tree/node-stats.service.js';
import { OPS_EXPERIENCE_CONTROLLERS, OPS_EXPERIENCE_PROVIDERS } from './ops/ops-experience.providers.js';
import { TreeLifecycle } from './tree/tree-lifecycle.service.js';
import { WEBHOOK_CONTROLLERS, WEBHOOK_PROVIDERS } from './webhooks/webhooks.providers.js';
import { RECONCILIATION_CONTROLLERS, RECONCILIATION_PROVIDERS } from './reconciliation/reconciliation.providers.js';
import { ROUTING_CONTROLLERS, ROUTING_PROVIDERS } from './routing/routing.providers.js';

const DATABASE = Symbol('DATABASE');

export interface GatewayModuleOptions {
  config: GatewayConfig;
  tree: Tree;
}

class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

@Module({})
export class AppModule {
  static forRoot({ config, tree }: GatewayModuleOptions): DynamicModule {
    return {
      module: AppModule,
      controllers: [PaymentsController, RefundsController, OpsController, HealthController, ...WEBHOOK_CONTROLLERS, ...ROUTING_CONTROLLERS, ...RECONCILIATION_CONTROLLERS, ...OPS_EXPERIENCE_CONTROLLERS],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: TREE, useValue: tree },
        {
          provide: DATABASE,
          useFactory: () =>
            openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, applyMigrations: true }),
        },
        { provide: PRISMA, inject: [DATABASE], useFactory: (database: Database) => database.prisma },
        { provide: SQL, inject: [DATABASE], useFactory: (database: Database) => database.sql },
        DatabaseCloser,
        IdempotencyService,
        ExpiredKeys,
        ExpiredKeysJob,
        PaymentsRepository,
        CreatePayment,
        SettleAuthorization,
        CapturePayment,
        VoidPayment,
        RefundPayment,
        MerchantsService,
        NodeStatsService,
        TreeLifecycle,
        MerchantAuthGuard,
        AdminAuthGuard,
        ...WEBHOOK_PROVIDERS,
        ...ROUTING_PROVIDERS,
        ...RECONCILIATION_PROVIDERS,
        ...OPS_EXPERIENCE_PROVIDERS,
      ],
    };
  }
}
