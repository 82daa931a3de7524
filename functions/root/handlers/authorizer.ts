import { createAuthorizer } from '../../authorizer/authorize.ts';
import type { Stepwise } from '../stepwise.ts';

/** The gateway authorizer over one Stepwise (Lambda: functions/authorizer/handler.ts; the local API emulator calls the same). */
export const createHandler = (stepwise: Stepwise) => createAuthorizer({ authorizer: () => stepwise.gatewayAuthorizer, logger: stepwise.logger });
