import * as z from 'zod';

/**
 * Runtime configuration, parsed once at cold start. A bad value stops the function before it
 * serves a request instead of failing on the first call that needs it.
 */
const ConfigSchema = z
  .object({
    STEPWISE_MODE: z.enum(['aws', 'local']).default('aws'),
    STEPWISE_STAGE: z.string().min(1).default('local'),
    APP_VERSION: z.string().min(1).default('0.0.0'),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    TABLE_NAME: z.string().min(1),
    DYNAMODB_ENDPOINT: z.url().optional(),
    JWKS_SECRET_ARN: z.string().min(1).optional(),
    SIGNING_KEY_SECRET_ARN: z.string().min(1).optional(),
    STEPWISE_DATA_DIR: z.string().min(1).default('.stepwise'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    CORS_ORIGINS: z.string().default('*'),
    /** Comma-separated usernames who act as platform admins (the stage operators). */
    PLATFORM_ADMINS: z.string().default(''),
  })
  .superRefine((env, ctx) => {
    if (env.STEPWISE_MODE === 'aws' && !env.JWKS_SECRET_ARN) {
      ctx.addIssue({ code: 'custom', path: ['JWKS_SECRET_ARN'], message: 'is required in aws mode' });
    }
    if (env.STEPWISE_MODE === 'local' && !env.DYNAMODB_ENDPOINT) {
      ctx.addIssue({ code: 'custom', path: ['DYNAMODB_ENDPOINT'], message: 'is required in local mode' });
    }
  });

export type Config = z.infer<typeof ConfigSchema> & {
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly corsOrigins: string[];
  readonly platformAdmins: ReadonlySet<string>;
};

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid Stepwise configuration: ${problems}`);
  }
  return {
    ...parsed.data,
    jwtIssuer: `urn:stepwise:${parsed.data.STEPWISE_STAGE}`,
    jwtAudience: 'urn:stepwise:api',
    corsOrigins: parsed.data.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    platformAdmins: new Set(parsed.data.PLATFORM_ADMINS.split(',').map((u) => u.trim().toLowerCase()).filter(Boolean)),
  };
}
