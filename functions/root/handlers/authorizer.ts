import { createAuthorizer } from '../../authorizer/authorize.ts';
import type { Stepwise } from '../stepwise.ts';
import { identityOf } from '../identity.ts';

/** The gateway authorizer over one Stepwise (Lambda: functions/authorizer/handler.ts; the local API emulator calls the same). */
export const createHandler = (stepwise: Stepwise) => createAuthorizer({ authorizer: () => identityOf(stepwise).gatewayAuthorizer, logger: stepwise.logger });
