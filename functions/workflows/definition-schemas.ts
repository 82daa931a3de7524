/**
 * The three dialects' definition bodies as typed schemas, built from the node-type registry
 * (statemachines/node-types.ts): each node type's params, per dialect, as a union discriminated
 * by `type`. The workflow compiler still validates definitions itself (it reports every issue with
 * its node and path, statemachines/README.md); these schemas describe exactly what it accepts, so
 * the OpenAPI document, and the client generated from it, type `tasks[].payload`,
 * `nodes.*.params` and the inline params of `steps[]` per node type.
 */
import * as z from 'zod';
import { NODE_TYPE_NAMES, NODE_TYPES, type NodeType } from '../../statemachines/node-types.ts';
import { configSchema, retryPolicySchema } from '../../statemachines/dialects/config.ts';
import { TriggerInputSchema } from '../core/triggers/trigger.ts';

type Dialect = 'flowctl' | 'flowrunner' | 'cloudflow';

const paramsShape = (type: NodeType): Record<string, z.ZodType> => (NODE_TYPES[type].schema as unknown as z.ZodObject).shape;
const describe = (type: NodeType, field: string) => paramsShape(type)[field]?.description ?? '';

/**
 * A nested graph (parallel branches, a map iterator) in the dialect's own form, as the compiler
 * reads it (statemachines/dialects): FlowCtl `{tasks}` or a task list, FlowRunner `{nodes, start}`,
 * CloudFlow `{steps}` or a step list. Getters make the schemas recursive without a cycle at load.
 */
function nestedGraph(dialect: Dialect): z.ZodType {
  const { FlowCtlTaskSchema, FlowRunnerNodeSchema, CloudFlowStepSchema } = documentedDefinitions();
  if (dialect === 'flowctl') return z.union([z.strictObject({ tasks: z.array(FlowCtlTaskSchema).min(1) }), z.array(FlowCtlTaskSchema).min(1)]);
  if (dialect === 'flowrunner') return z.strictObject({ nodes: z.record(z.string(), FlowRunnerNodeSchema), start: z.string().optional() });
  return z.union([z.strictObject({ steps: z.array(CloudFlowStepSchema).min(1) }), z.array(CloudFlowStepSchema).min(1)]);
}

/** A type's params with its nested graphs typed in the dialect (the registry types them loosely: they are dialect-shaped). */
function paramsShapeFor(dialect: Dialect, type: NodeType): Record<string, z.ZodType> {
  const shape = { ...paramsShape(type) };
  if (type === 'parallel') {
    delete shape.branches;
    return Object.defineProperty(shape, 'branches', { enumerable: true, get: () => z.array(nestedGraph(dialect)).min(1).max(40).meta({ description: describe(type, 'branches') }) });
  }
  if (type === 'map') {
    delete shape.iterator;
    return Object.defineProperty(shape, 'iterator', { enumerable: true, get: () => nestedGraph(dialect).meta({ description: describe(type, 'iterator') }) });
  }
  return shape;
}
const paramsOf = (dialect: Dialect, type: NodeType) => z.strictObject(paramsShapeFor(dialect, type));

/**
 * Built on first use, once: these schemas only describe (the OpenAPI document and the client
 * generated from it; the compiler validates definitions itself), and their ~50 strict objects
 * per dialect were the largest part of the workflows function's cold start (docs/benchmarks.md).
 */
export function documentedDefinitions(): DocumentedDefinitions {
  return (built ??= buildDefinitions());
}
interface DocumentedDefinitions {
  FlowCtlTaskSchema: z.ZodType;
  FlowRunnerNodeSchema: z.ZodType;
  FlowRunnerDefinitionSchema: z.ZodType;
  CloudFlowStepSchema: z.ZodType;
  DefinitionField: z.ZodType;
  TasksField: z.ZodType;
  StepsField: z.ZodType;
}
let built: DocumentedDefinitions | undefined;

function buildDefinitions(): DocumentedDefinitions {
  const MaxRetries = z.number().int().min(0).max(99).meta({ description: 'Retries after the first attempt (overrides the workflow retry_policy)' });
  const Timeout = z.union([z.number(), z.string()]).meta({ description: 'Per-node timeout: seconds, or a duration such as "30s"' });
  const Retry = retryPolicySchema.meta({ description: 'This node’s own retry policy over the workflow default' });

  /** FlowCtl: `{name, type, payload, dependencies, max_retries, priority}`, payload typed by `type`. */
  const FlowCtlTaskSchema = z
    .union(
      NODE_TYPE_NAMES.map((type) =>
        z
          .strictObject({
            name: z.string().min(1).meta({ description: 'Task name, unique in the workflow (the node id)' }),
            type: z.literal(type),
            payload: paramsOf('flowctl', type).optional().meta({ description: NODE_TYPES[type].summary }),
            dependencies: z.array(z.string()).max(500).optional().meta({ description: 'Tasks that must finish first' }),
            max_retries: MaxRetries.optional(),
            priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
            timeout: Timeout.optional(),
            description: z.string().max(4_096).optional(),
          })
          .meta({ id: `FlowCtlTask_${type.replace('.', '_')}` }),
      ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
    )
    .meta({ id: 'FlowCtlTask', description: 'A FlowCtl task; `payload` holds the params of its `type`' });

  const NextRef = z.union([z.string(), z.array(z.string()).min(1).max(40)]);

  /** FlowRunner: `nodes: {id: {type, params, next}}`. */
  const FlowRunnerNodeSchema = z
    .union(
      NODE_TYPE_NAMES.map((type) =>
        z
          .strictObject({
            type: z.literal(type),
            params: paramsOf('flowrunner', type).optional().meta({ description: NODE_TYPES[type].summary }),
            next: z.union([NextRef, z.record(z.string(), NextRef)]).optional().meta({ description: 'The next node id(s), or {default: id}' }),
            retry: Retry.optional(),
            max_retries: MaxRetries.optional(),
            timeout: Timeout.optional(),
            name: z.string().max(256).optional(),
            description: z.string().max(4_096).optional(),
          })
          .meta({ id: `FlowRunnerNode_${type.replace('.', '_')}` }),
      ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
    )
    .meta({ id: 'FlowRunnerNode' });

  const FlowRunnerDefinitionSchema = z
    .strictObject({
      metadata: z
        .looseObject({
          name: z.string().max(256).optional(),
          description: z.string().max(4_096).optional(),
          version: z.union([z.string(), z.number()]).optional(),
          start: z.string().optional(),
          trigger: TriggerInputSchema.optional(),
        })
        .optional(),
      nodes: z.record(z.string(), FlowRunnerNodeSchema),
      start: z.string().optional(),
      config: configSchema.optional(),
    })
    .meta({ id: 'FlowRunnerDefinition', description: 'A FlowRunner definition as an object (the same as the YAML text)' });

  /** CloudFlow: ordered `steps: [{type, …params inline}]`. */
  const CloudFlowStepSchema = z
    .union(
      NODE_TYPE_NAMES.map((type) => {
        const params = paramsShapeFor('cloudflow', type);
        const own = {
          id: z.string().optional().meta({ description: 'Step id (default step_<n>)' }),
          name: z.string().max(256).optional(),
          description: z.string().max(4_096).optional(),
          next: z.string().optional().meta({ description: 'Jump to this step instead of the following one' }),
          end: z.boolean().optional().meta({ description: 'Stop after this step' }),
          max_retries: MaxRetries.optional(),
          retry: Retry.optional(),
          ...('timeout' in params ? {} : { timeout: Timeout.optional() }),
        };
        // Own keys first, then the params with their getters intact (a spread would run them now, before the schemas exist).
        const shape = Object.defineProperties({ type: z.literal(type), ...own }, Object.getOwnPropertyDescriptors(params));
        return z.strictObject(shape).meta({ id: `CloudFlowStep_${type.replace('.', '_')}`, description: NODE_TYPES[type].summary });
      }) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
    )
    .meta({ id: 'CloudFlowStep', description: 'A CloudFlow step: its type’s params sit inline next to `type`' });

  const DefinitionField = z
    .union([z.string().max(256 * 1024), FlowRunnerDefinitionSchema])
    .meta({ description: 'FlowRunner: YAML text (or the parsed object) with metadata and nodes' });
  const TasksField = z.array(FlowCtlTaskSchema).min(1).meta({ description: 'FlowCtl: the task DAG' });
  const StepsField = z.array(CloudFlowStepSchema).min(1).meta({ description: 'CloudFlow: ordered steps' });
  return { FlowCtlTaskSchema, FlowRunnerNodeSchema, FlowRunnerDefinitionSchema, CloudFlowStepSchema, DefinitionField, TasksField, StepsField };
}

export const ConfigField = configSchema.meta({ description: 'FlowCtl: {max_concurrency, timeout, retry_policy}' });
export const TriggerField = TriggerInputSchema.meta({ description: 'How runs start: manual, schedule, webhook or event (docs/api.md#triggers)' });

/** The create/validate/publish body fields each dialect brings (DefinitionFields' typed counterparts). */
export function dialectBodies(common: z.ZodRawShape, id: string): z.ZodType {
  const { DefinitionField, TasksField, StepsField } = documentedDefinitions();
  const shared = { ...common, config: ConfigField.optional(), trigger: TriggerField.optional() };
  const flowrunner = z.strictObject({ ...shared, definition: DefinitionField }).meta({ id: `${id}FlowRunner` });
  const flowctl = z.strictObject({ ...shared, tasks: TasksField }).meta({ id: `${id}FlowCtl` });
  const cloudflow = z.strictObject({ ...shared, steps: StepsField }).meta({ id: `${id}CloudFlow` });
  return z.union([flowrunner, flowctl, cloudflow]).meta({ id, description: 'One dialect per workflow: FlowRunner `definition`, FlowCtl `tasks` (+ `config`), or CloudFlow `steps` (+ `trigger`)' });
}
