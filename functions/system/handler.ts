import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/system.ts';

/** Health, the OpenAPI document, the HTML reference and the interactive docs (Swagger UI, ReDoc). */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/SystemFunction'));
