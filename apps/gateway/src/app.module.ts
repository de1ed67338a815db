import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/index.js';
import { CoreModule, type CoreModuleOptions } from './common/core.module.js';
import { ElementsModule } from './elements/index.js';
import { HealthModule } from './health/index.js';
import { IdempotencyModule } from './idempotency/index.js';
import { MetricsModule } from './metrics/index.js';
import { NotificationsModule } from './notifications/index.js';
import { OpsModule } from './ops/index.js';
import { OpsDashboardModule } from './ops-dashboard/index.js';
import { PaymentMethodsModule } from './payment-methods/index.js';
import { PaymentsModule } from './payments/index.js';
import { ReconciliationModule } from './reconciliation/index.js';
import { RoutingModule } from './routing/index.js';
import { ShutdownModule } from './shutdown/index.js';
import { WebhooksModule } from './webhooks/index.js';

export type GatewayModuleOptions = CoreModuleOptions;

/** The root gateway: the core (config, tree, database) and every feature module. */
@Module({})
export class AppModule {
  static forRoot(options: GatewayModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        AuthModule,
        IdempotencyModule,
        PaymentsModule,
        PaymentMethodsModule,
        WebhooksModule,
        ReconciliationModule,
        NotificationsModule,
        RoutingModule,
        OpsModule,
        HealthModule,
        MetricsModule,
        OpsDashboardModule,
        ElementsModule,
        ShutdownModule,
      ],
    };
  }
}
