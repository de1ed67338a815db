import { PreviewRoute } from './preview-route.js';
import { RoutingController } from './routing.controller.js';

export const ROUTING_CONTROLLERS = [RoutingController];
export const ROUTING_PROVIDERS = [PreviewRoute];
