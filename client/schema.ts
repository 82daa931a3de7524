/**
 * The Stepwise API's types, generated from its OpenAPI document by `npm run generate:client`
 * (scripts/client-generator/generate.ts, openapi-typescript). Do not edit by hand.
 */
export interface paths {
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register an account and its first (admin) user */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange username (or email) and password for an access token
         * @description Repeated failures for one login name are slowed down, then refused with 429 for up to 15 minutes.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a refresh token for a new access token
         * @description Send `{"refresh_token"}` (or the refresh token as a Bearer token): it is rotated and the answer carries the new one. Or send only `Authorization: Bearer <access token>` of a live session (FlowRunner): a new access token, no refresh token.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the current session (its access and refresh tokens stop working) */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The authenticated user */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Behflow alias of POST /api/v1/auth/register */
        post: operations["registerAtRoot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Behflow alias of POST /api/v1/auth/login
         * @description Repeated failures for one login name are slowed down, then refused with 429 for up to 15 minutes.
         */
        post: operations["loginAtRoot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Behflow alias of GET /api/v1/me */
        get: operations["meAtRoot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tasks (filters, pagination) */
        get: operations["listTasks"];
        put?: never;
        /** Create a task */
        post: operations["createTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a task
         * @description A task, or a workflow task of a run (FlowCtl shape: workflow_id, execution_id, retry_count, result, error).
         */
        get: operations["getTask"];
        /**
         * Update a task (AstraFlow/Behflow PUT: partial fields allowed)
         * @description Update a task. Any subset of fields; send If-Match (or version) to fail on a stale copy.
         */
        put: operations["replaceTask"];
        post?: never;
        /** Delete a task */
        delete: operations["deleteTask"];
        options?: never;
        head?: never;
        /**
         * Partially update a task
         * @description Partially update a task; null clears description, due_date.
         */
        patch: operations["patchTask"];
        trace?: never;
    };
    "/api/v1/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List workflows */
        get: operations["listWorkflows"];
        put?: never;
        /**
         * Create a workflow in any dialect
         * @description Create a workflow; with `run: true` (FlowCtl create-and-queue) its first run starts at once and is returned as `execution`.
         */
        post: operations["createWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a workflow */
        get: operations["getWorkflow"];
        /**
         * Publish a new definition version
         * @description Replace the definition: publishes a new version and moves the live alias to it.
         */
        put: operations["publishWorkflow"];
        post?: never;
        /** Delete a workflow and its state machine */
        delete: operations["deleteWorkflow"];
        options?: never;
        head?: never;
        /**
         * Change status, name, description or tags
         * @description Change status (active, paused, archived), name, description or tags.
         */
        patch: operations["patchWorkflow"];
        trace?: never;
    };
    "/api/v1/flows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List workflows (FlowRunner alias) */
        get: operations["listWorkflowsFlow"];
        put?: never;
        /**
         * Create a workflow in any dialect (FlowRunner alias)
         * @description Create a workflow; with `run: true` (FlowCtl create-and-queue) its first run starts at once and is returned as `execution`.
         */
        post: operations["createWorkflowFlow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a workflow (FlowRunner alias) */
        get: operations["getWorkflowFlow"];
        /**
         * Publish a new definition version (FlowRunner alias)
         * @description Replace the definition: publishes a new version and moves the live alias to it.
         */
        put: operations["publishWorkflowFlow"];
        post?: never;
        /** Delete a workflow and its state machine (FlowRunner alias) */
        delete: operations["deleteWorkflowFlow"];
        options?: never;
        head?: never;
        /**
         * Change status, name, description or tags (FlowRunner alias)
         * @description Change status (active, paused, archived), name, description or tags.
         */
        patch: operations["patchWorkflowFlow"];
        trace?: never;
    };
    "/api/v1/workflows/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Published versions with their ASL */
        get: operations["listWorkflowVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workflow’s task definitions (FlowCtl)
         * @description The workflow’s tasks, each with its state in the latest run (FlowCtl).
         */
        get: operations["listWorkflowTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dry run: parse, validate and compile without saving
         * @description Dry run: nothing is saved. 400 lists every problem, naming node and field.
         */
        post: operations["validateWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{id}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a run of the live version (202)
         * @description Starts a run of the live version. Idempotency-Key: the same key and body return the same execution; a different body is a 409.
         */
        post: operations["runWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{id}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a run (FlowRunner alias)
         * @description Starts a run of the live version. Idempotency-Key: the same key and body return the same execution; a different body is a 409.
         */
        post: operations["runFlow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/processes/{id}/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a run (Behflow alias)
         * @description Starts a run of the live version. Idempotency-Key: the same key and body return the same execution; a different body is a 409.
         */
        post: operations["executeProcess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Cancel every running execution of the workflow (FlowCtl) */
        put: operations["cancelWorkflowRuns"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List executions, newest first (filters workflow_id/flow_id, status, start_date, end_date) */
        get: operations["listExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an execution with its task summary */
        get: operations["getExecution"];
        put?: never;
        post?: never;
        /** Cancel a running execution */
        delete: operations["cancelExecution"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redrive a failed, timed-out or cancelled execution from where it stopped
         * @description Redrive: nodes that failed or never ran run again; completed nodes keep their outputs.
         */
        post: operations["retryExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The execution’s tasks with status, attempts, result and error (FlowCtl) */
        get: operations["listExecutionTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Trained models (ml_training): the latest training of each model name
         * @description The models ml_training nodes trained in this account: the latest training of each model_name.
         */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account’s approvals waiting for a decision (filter execution_id)
         * @description The account’s approvals waiting for a decision, oldest request first. The task token is never returned.
         */
        get: operations["listApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/approvals/{node_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or reject a waiting approval node (named approvers, else workflows:write)
         * @description Approve or reject a waiting approval node. Only a named approver (user id, username or email) may decide; with none named, any member with workflows:write. A second decision, or a node that is not waiting, is a 409.
         */
        post: operations["decideApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Execution log lines, oldest first (filter level) */
        get: operations["listExecutionLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines/{id}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pipeline’s (workflow’s) executions with record counts (CloudFlow) */
        get: operations["listPipelineExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hooks/{workflow_id}/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Webhook trigger: start a run with the JSON body as input (202; the token is the credential)
         * @description Webhook trigger: the token in the path is the credential. Starts a run with the JSON body as input (trigger `webhook`); a wrong, rotated or other workflow’s token is 404. Idempotency-Key (or Standard Webhooks’ webhook-id) dedupes retried deliveries.
         */
        post: operations["runWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{id}/webhook-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a webhook trigger’s token; the new URL is shown once
         * @description A new webhook token for a webhook-triggered workflow; the previous URL stops working at once. The URL is shown only here.
         */
        post: operations["rotateWebhookToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/processes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Automated processes: workflows with trigger type, schedule, state and last execution (Behflow)
         * @description Behflow’s automated processes: every workflow with its trigger and last execution, paginated.
         */
        get: operations["listProcesses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Account metrics: workflows, workflow tasks, workers, executions (FlowCtl)
         * @description FlowCtl metrics for the caller’s account, read from counters kept on every write (never a scan).
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/workflows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A workflow’s metrics and timeseries over 1h, 24h, 7d or 30d (CloudFlow)
         * @description CloudFlow workflow analytics from 5-minute, hourly and daily rollups kept as executions finish.
         */
        get: operations["getWorkflowAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Manage tasks in plain language (Behflow assistant)
         * @description Behflow’s assistant: create, list, change and delete tasks, or run a workflow, in plain English. A message the assistant cannot act on gets an answer listing what it can do, not an error. See docs/api.md#chat.
         */
        post: operations["chat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A chat session with its history
         * @description A chat session of the caller with every message, oldest first.
         */
        get: operations["getChatSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhooks (never their secrets) */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Subscribe a URL to events ({url, event} or {url, events[], secret}); the secret is shown once
         * @description The response carries the signing secret; it is never shown again.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a webhook */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change url, events or enabled (re-enabling resets the failure clock); rotate the secret
         * @description Change url, events, description or enabled; rotate or replace the secret. Send If-Match (or version) to fail on a stale copy.
         */
        patch: operations["patchWebhook"];
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries newest first, with every attempt (status, latency, response excerpt, next retry)
         * @description Deliveries newest first, each with its attempts (status code, latency, response excerpt, next retry).
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay a delivery now (also a dead-lettered one)
         * @description Send the delivery again now (same body and webhook-id) as a fresh cycle of the retry schedule; works on dead-lettered deliveries.
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a signed webhook.test ping
         * @description Send a signed `webhook.test` ping now, once; follow it in the deliveries list.
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List email templates
         * @description The account’s email templates, sorted by id.
         */
        get: operations["listEmailTemplates"];
        put?: never;
        /**
         * Create an email template {id, subject, text, html} with {{var}} placeholders
         * @description Create a template under its id. 409 if the id exists (PUT replaces).
         */
        post: operations["createEmailTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an email template */
        get: operations["getEmailTemplate"];
        /**
         * Replace an email template, or create it under that id
         * @description Replace the template, or create it under this id (201).
         */
        put: operations["putEmailTemplate"];
        post?: never;
        /** Delete an email template */
        delete: operations["deleteEmailTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Emails send_email would have sent, newest first (local mode without SMTP_URL)
         * @description Every email send_email would have sent, newest first (local mode without SMTP_URL; empty on AWS, where SES sends).
         */
        get: operations["listOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/data-sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List data sources (credentials only as {{secrets.KEY}} references)
         * @description The account’s data sources by name (local mode: the built-in `local` Postgres first).
         */
        get: operations["listDataSources"];
        put?: never;
        /**
         * Create a data source {name, type: postgres|http|s3|dynamodb, …}
         * @description Create a source. A credential in plain text (a URL password, a credential header) is a 400: use {{secrets.KEY}}. 409 if the name exists.
         */
        post: operations["createDataSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/data-sources/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a data source */
        get: operations["getDataSource"];
        put?: never;
        post?: never;
        /** Delete a data source */
        delete: operations["deleteDataSource"];
        options?: never;
        head?: never;
        /**
         * Change a data source
         * @description Change fields; null removes an optional one. The built-in `local` source cannot be changed (409).
         */
        patch: operations["patchDataSource"];
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check */
        get: operations["healthAtRoot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The OpenAPI 3.1 document
         * @description OpenAPI 3.1 document generated from the request schemas
         */
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Human-readable API reference
         * @description HTML reference generated from the route table
         */
        get: operations["docs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The OpenAPI 3.1 document (Behflow path)
         * @description OpenAPI 3.1 document generated from the request schemas
         */
        get: operations["openapiRoot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Interactive API docs (Swagger UI)
         * @description Swagger UI over /openapi.json (assets served by Stepwise, no CDN)
         */
        get: operations["swaggerUi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/redoc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * API reference (ReDoc)
         * @description ReDoc over /openapi.json (assets served by Stepwise, no CDN)
         */
        get: operations["redoc"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Swagger UI and ReDoc scripts and styles, served from their npm packages */
        get: operations["docsAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the account’s users (filters role, active) */
        get: operations["listUsers"];
        put?: never;
        /** Add a user to the account */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user (admins with admin:full: anyone in the account; others: themselves) */
        get: operations["getUser"];
        /** Update a user (yourself; anyone, and role and active: admins with admin:full) */
        put: operations["replaceUser"];
        post?: never;
        /** Remove a user, their sessions and API keys */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Partially update a user (yourself; anyone, and role and active: admins with admin:full) */
        patch: operations["patchUser"];
        trace?: never;
    };
    "/api/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Accounts: all for a platform admin, your own otherwise */
        get: operations["listAccounts"];
        put?: never;
        /**
         * Create an account and its first admin (plan: platform admins only)
         * @description A new tenant whose first user (an admin) signs in with email and password; the caller does not join it.
         */
        post: operations["createAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an account (your own, or any for a platform admin) */
        get: operations["getAccount"];
        /** Update an account (plan: platform admins only) */
        put: operations["updateAccount"];
        post?: never;
        /**
         * Delete an account with all its data and secrets
         * @description Removes every task, workflow, user, key and secret of the account.
         */
        delete: operations["deleteAccount"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the account’s secrets: keys and timestamps, never values
         * @description The account’s secrets, sorted by key: names and timestamps, never values.
         */
        get: operations["listSecrets"];
        put?: never;
        /**
         * Create a secret (admins; the value is write-only)
         * @description Store a new secret (admins). 409 if the key exists.
         */
        post: operations["createSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}/secrets/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace a secret’s value (admins)
         * @description Replace a secret’s value (admins).
         */
        put: operations["replaceSecret"];
        post?: never;
        /**
         * Delete a secret (admins)
         * @description Delete a secret (admins).
         */
        delete: operations["deleteSecret"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API keys (admins with admin:full: the account’s; others: their own); never the secret */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key; the secret is shown once
         * @description Scopes must be ones you hold. The secret is in `key`, once; only its hash is stored.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key (your own; any of the account’s: admins with admin:full) */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OAuth 2.0 token endpoint (client_credentials, authorization_code + PKCE, refresh_token, jwt-bearer)
         * @description Errors follow RFC 6749 §5.2: {"error": "invalid_grant", "error_description": …}.
         */
        post: operations["tokenAtRoot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OAuth 2.0 token endpoint (alias)
         * @description Errors follow RFC 6749 §5.2: {"error": "invalid_grant", "error_description": …}.
         */
        post: operations["token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Approve a client as the signed-in user; redirects to redirect_uri with a code
         * @description Redirects (302) to redirect_uri?code=…&state=…
         */
        get: operations["authorizeRedirect"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a client as the signed-in user; returns the code and the redirect URL */
        post: operations["authorize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account’s OAuth clients (never their secrets) */
        get: operations["listClients"];
        put?: never;
        /** Register an OAuth client; client_secret is shown once */
        post: operations["createClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an OAuth client; its tokens stop working */
        delete: operations["deleteClient"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public keys that verify Stepwise access tokens
         * @description RFC 7517 JSON Web Key Set
         */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        RegisterResponse: {
            user_id: string;
            id: string;
            username: string;
            email: string | null;
            name: string | null;
            lastname: string | null;
            role: string;
            account_id: string;
            created_at: string;
        };
        RegisterRequest: {
            username?: string;
            /** Format: email */
            email?: string;
            password: string;
            name?: string;
            lastname?: string;
            account_name?: string;
        };
        LoginResponse: {
            token: string;
            /** @description Same as token (OAuth field name) */
            access_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            expires_at: string;
            expires_in: number;
            /** @description Single use: each refresh returns a new one; reusing an old one ends the session. Absent when an access token was refreshed (the session keeps its refresh token) */
            refresh_token?: string;
            account_id: string;
            user: components["schemas"]["User"];
        };
        User: {
            user_id: string;
            id: string;
            username: string;
            email: string | null;
            name: string | null;
            lastname: string | null;
            role: string;
            account_id: string;
            created_at: string;
        };
        LoginRequest: {
            username?: string;
            email?: string;
            password: string;
        };
        RefreshRequest: {
            refresh_token?: string;
        };
        Message: {
            message: string;
        };
        TaskList: {
            data: components["schemas"]["Task"][];
            /** @description Same as data (AstraFlow/Behflow field name) */
            tasks: components["schemas"]["Task"][];
            pagination: components["schemas"]["Pagination"];
            total: number;
            page: number;
        };
        Task: {
            id: string;
            /** @description Same as id (Behflow field name) */
            task_id: string;
            name: string;
            description: string | null;
            /** @enum {string} */
            status: "pending" | "in_progress" | "blocked" | "completed" | "cancelled";
            /** @enum {string} */
            priority: "low" | "medium" | "high" | "urgent";
            due_date: string | null;
            tags: string[];
            created_at: string;
            updated_at: string;
            version: number;
        };
        Pagination: {
            total: number;
            limit: number;
            offset: number;
            has_more: boolean;
            next_cursor: string | null;
        };
        WorkflowRunTaskPage: {
            data: components["schemas"]["WorkflowRunTask"][];
            tasks: components["schemas"]["WorkflowRunTask"][];
            pagination: components["schemas"]["Pagination"];
            total: number;
            page: number;
        };
        WorkflowRunTask: {
            id: string;
            task_id: string;
            workflow_id: string;
            execution_id: string;
            node_id: string;
            name: string;
            type: string;
            /** @enum {string} */
            status: "pending" | "running" | "retrying" | "waiting" | "completed" | "failed" | "cancelled" | "skipped";
            payload: {
                [key: string]: unknown;
            };
            result?: unknown;
            result_truncated: boolean;
            error: string | null;
            retry_count: number;
            max_retries: number;
            priority: number | null;
            dependencies: string[];
            created_at: string;
            updated_at: string;
            started_at: string | null;
            completed_at: string | null;
        };
        CreateTask: {
            name: string;
            description?: string | null;
            /**
             * @description One of pending, in_progress, blocked, completed, cancelled; aliases: not_started → pending, active → in_progress
             * @enum {string}
             */
            status?: "pending" | "in_progress" | "blocked" | "completed" | "cancelled" | "not_started" | "active";
            /** @enum {string} */
            priority?: "low" | "medium" | "high" | "urgent";
            /**
             * @description ISO 8601 date-time (e.g. 2025-12-31T23:59:59Z) or date
             * @example 2025-12-31T23:59:59Z
             */
            due_date?: string | null;
            tags?: string[];
        };
        /** @description A task, or a workflow task of a run (which has execution_id and no tags) */
        AnyTask: components["schemas"]["Task"] | components["schemas"]["WorkflowRunTask"];
        UpdateTask: {
            name?: string;
            description?: string | null;
            /**
             * @description One of pending, in_progress, blocked, completed, cancelled; aliases: not_started → pending, active → in_progress
             * @enum {string}
             */
            status?: "pending" | "in_progress" | "blocked" | "completed" | "cancelled" | "not_started" | "active";
            /** @enum {string} */
            priority?: "low" | "medium" | "high" | "urgent";
            /**
             * @description ISO 8601 date-time (e.g. 2025-12-31T23:59:59Z) or date
             * @example 2025-12-31T23:59:59Z
             */
            due_date?: string | null;
            tags?: string[];
            /** @description Expected current version (alternative to If-Match) */
            version?: number;
        };
        WorkflowList: {
            data: components["schemas"]["Workflow"][];
            /** @description Same as data (FlowCtl) */
            workflows: components["schemas"]["Workflow"][];
            /** @description Same as data (FlowRunner) */
            flows: components["schemas"]["Workflow"][];
            pagination: components["schemas"]["Pagination"];
            total: number;
            /** @description 1-based page number (FlowCtl) */
            page: number;
            /** @description Page size (FlowRunner, FlowCtl) */
            limit: number;
            /** @description Items skipped (FlowRunner) */
            offset: number;
            /** @description Pages of this size (FlowCtl) */
            total_pages: number;
        };
        Workflow: {
            id: string;
            workflow_id: string;
            name: string;
            description: string | null;
            /** @enum {string} */
            status: "active" | "paused" | "archived";
            /** @enum {string} */
            dialect: "flowrunner" | "flowctl" | "cloudflow";
            /** @description FlowRunner: the definition’s metadata.version ("1.0.1") when it has one; otherwise the published version number (as published_version) */
            version: string | number;
            /** @description Published definition version (PUT publishes the next) */
            published_version: number;
            /** @description Optimistic-lock counter; ETag and If-Match use it */
            revision: number;
            tags: string[];
            /** @description FlowRunner: YAML text (or the parsed object) with metadata and nodes */
            definition?: string | components["schemas"]["FlowRunnerDefinition"];
            tasks?: components["schemas"]["WorkflowTask"][];
            config?: components["schemas"]["WorkflowConfig"];
            trigger?: components["schemas"]["WorkflowTrigger"];
            /** @description CloudFlow steps; in lists, their count */
            steps?: components["schemas"]["CloudFlowStep"][] | number;
            /** @description POST here to start a run (webhook trigger); only in the response that created the token — rotate with POST /workflows/{id}/webhook-token */
            webhook_url?: string;
            /** @description When the latest run started */
            last_run: string | null;
            last_run_status: string | null;
            last_execution_id: string | null;
            metrics?: components["schemas"]["WorkflowMetrics"];
            /** @description The run started by `run: true` */
            execution?: {
                execution_id: string;
                id: string;
                workflow_id: string;
                flow_id: string;
                process_id: string;
                version: number;
                /**
                 * @description The start’s answer: running once the run started, even if it has ended since (GET /executions/{id} tells where it is now); failed for a replay of a start that never reached the engine
                 * @enum {string}
                 */
                status: "pending" | "running" | "completed" | "failed" | "cancelled" | "timed_out";
                message: string;
                created_at: string;
                started_at: string | null;
            };
            state_machine_arn: string;
            created_at: string;
            updated_at: string;
        };
        /** @description A FlowRunner definition as an object (the same as the YAML text) */
        FlowRunnerDefinition: {
            metadata?: {
                name?: string;
                description?: string;
                version?: string | number;
                start?: string;
                trigger?: {
                    /** @enum {string} */
                    type: "manual";
                } | {
                    /** @enum {string} */
                    type: "schedule";
                    cron: string;
                    /** @default UTC */
                    timezone: string;
                } | {
                    /** @enum {string} */
                    type: "webhook";
                    url?: string;
                } | {
                    /** @enum {string} */
                    type: "event";
                    events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled")[];
                    /** @enum {string} */
                    event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled";
                    filter?: {
                        [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
                    };
                };
            } & {
                [key: string]: unknown;
            };
            nodes: {
                [key: string]: components["schemas"]["FlowRunnerNode"];
            };
            start?: string;
            /** @description Workflow execution settings */
            config?: {
                /** @description Nodes running at once (default 10) */
                max_concurrency?: number;
                /** @description Whole-execution timeout (default "1h") */
                timeout?: number | string;
                /** @description Retry policy (FlowCtl names) */
                retry_policy?: {
                    /** @description All attempts, the first included (default 3) */
                    max_attempts?: number;
                    /** @description Delay before the first retry (default "1s") */
                    initial_delay?: number | string;
                    /** @description Longest single delay (default "5m") */
                    max_delay?: number | string;
                    /** @description Delay multiplier per retry (default 2.0) */
                    backoff_factor?: number;
                };
            };
        };
        FlowRunnerNode: components["schemas"]["FlowRunnerNode_approval"] | components["schemas"]["FlowRunnerNode_choice"] | components["schemas"]["FlowRunnerNode_ci"] | components["schemas"]["FlowRunnerNode_etl"] | components["schemas"]["FlowRunnerNode_fail"] | components["schemas"]["FlowRunnerNode_fetch_data"] | components["schemas"]["FlowRunnerNode_generic"] | components["schemas"]["FlowRunnerNode_http_request"] | components["schemas"]["FlowRunnerNode_lambda"] | components["schemas"]["FlowRunnerNode_map"] | components["schemas"]["FlowRunnerNode_ml_training"] | components["schemas"]["FlowRunnerNode_parallel"] | components["schemas"]["FlowRunnerNode_pass"] | components["schemas"]["FlowRunnerNode_send_email"] | components["schemas"]["FlowRunnerNode_subworkflow"] | components["schemas"]["FlowRunnerNode_transform"] | components["schemas"]["FlowRunnerNode_wait"] | components["schemas"]["FlowRunnerNode_webhook"];
        FlowRunnerNode_approval: {
            /** @enum {string} */
            type: "approval";
            /** @description Wait until someone approves or rejects (callback with a task token) */
            params?: {
                /** @description What the approvers are asked; may contain {{templates}} (never {{secrets.…}}) */
                message?: string;
                /** @description User ids, usernames or emails who may decide; none: any member with workflows:write */
                approvers?: string[];
                /** @description How long to wait for a decision (the state's TimeoutSeconds); then the node fails with Stepwise.ApprovalTimeout */
                timeout?: number | string;
                /**
                 * @description fail: a rejection fails the node; continue: the node completes with decision "reject" so a choice can route on it. Default: continue when a choice right after the node reads steps.<id>, else fail
                 * @enum {string}
                 */
                on_reject?: "fail" | "continue";
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_choice: {
            /** @enum {string} */
            type: "choice";
            /** @description Route to one branch; the other branches are skipped */
            params?: {
                /** @description Conditions, tried in order; the first true one wins */
                choices: {
                    /** @description JSONata condition over {input, steps}, evaluated by the task runner */
                    when: string;
                    /** @description Node to run when the condition is true */
                    next: string;
                }[];
                /** @description Node to run when no condition holds; without it the branches are skipped */
                default?: string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_ci: {
            /** @enum {string} */
            type: "ci";
            /** @description FlowCtl continuous-integration job: clone repo_url at branch, run command there */
            params?: {
                /** @description Repository to clone: https://, ssh://, git@host:path; locally also file:// or an absolute path */
                repo_url: string;
                /** @description Shell command run in the checkout (`sh -c`) */
                command: string;
                /** @description Branch or tag to check out; default the repository’s default branch */
                branch?: string;
                /** @description Target environment name, passed as STEPWISE_ENVIRONMENT */
                environment?: string;
                /** @description How long the job may run (clone included) before its process group is killed; default 1h */
                timeout?: number | string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_etl: {
            /** @enum {string} */
            type: "etl";
            /** @description FlowCtl extract/transform/load job */
            params?: {
                /** @description A data location URL such as s3://bucket/key or postgres://host/db */
                source_url: string;
                /** @description A data location URL such as s3://bucket/key or postgres://host/db */
                target_url: string;
                /** @description The source's format: csv, json, ndjson, parquet (jsonl is ndjson); default: the source's extension, else json. An S3 target without a .csv, .json or .ndjson extension is written in it too (not parquet) */
                format?: string;
                /** @description normalize, dedupe, or a JSONata expression applied to each record */
                transformation?: string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_fail: {
            /** @enum {string} */
            type: "fail";
            /** @description Stop the execution as failed */
            params?: {
                /**
                 * @description Error name
                 * @default WorkflowFailed
                 */
                error: string;
                /** @description Human-readable cause */
                cause?: string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_fetch_data: {
            /** @enum {string} */
            type: "fetch_data";
            /** @description Read records from a data source (postgres, http); the output is {records, count} */
            params?: {
                /** @description The data source’s name (GET /api/v1/data-sources); `local` is the local Postgres */
                source: string;
                /** @description postgres: SQL with named parameters (:last_run, :input.x, :steps.<id>.output.y), sent as bind parameters, never spliced in */
                query?: string;
                /** @description Column = value conditions (postgres: WHERE col = $1 AND …; http: records whose field equals the value) */
                filters?: {
                    [key: string]: string | number | boolean | null;
                };
                /** @description At most this many records (default 10,000) */
                limit?: number;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_generic: {
            /** @enum {string} */
            type: "generic";
            /** @description FlowCtl generic command: run a program with arguments and environment */
            params?: {
                /** @description Program and its arguments, split into words with shell quoting and no shell expansion (no pipes, $VARS or globs) */
                command: string;
                /** @description Arguments appended after the command line’s words */
                args?: string[];
                /** @description Environment variables; a value may be a whole {{secrets.KEY}} */
                environment?: {
                    [key: string]: string;
                };
                /** @description How long the command may run before its whole process group is killed; default 1h */
                timeout?: number | string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_http_request: {
            /** @enum {string} */
            type: "http.request";
            /** @description Make an HTTP request; the response (status, headers, body) is the node output */
            params?: {
                /** @description Request URL; may contain {{templates}} */
                url: string;
                /**
                 * @description HTTP method, default GET
                 * @default GET
                 * @enum {string}
                 */
                method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
                /** @description Request headers; values may contain {{secrets.KEY}} */
                headers?: {
                    [key: string]: string;
                };
                /** @description Query-string parameters */
                query?: {
                    [key: string]: string | number | boolean;
                };
                /** @description JSON body (objects are sent as JSON, strings as-is) */
                body?: unknown;
                /** @description Per-attempt HTTP timeout, enforced by the runner */
                timeout?: number | string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_lambda: {
            /** @enum {string} */
            type: "lambda";
            /** @description Invoke an AWS Lambda function (through the task runner, which resolves templates first) */
            params?: {
                /** @description Function to invoke */
                function_arn: string;
                /** @description Event passed to the function; may contain {{templates}} */
                payload?: unknown;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_map: {
            /** @enum {string} */
            type: "map";
            /** @description Run a nested graph for each item of an array */
            params?: {
                /** @description The array to iterate: a JSONPath into the execution input ($.orders), a whole {{template}}, or a literal array */
                items: string | unknown[];
                /** @description Iterations at once; defaults to the workflow max_concurrency */
                max_concurrency?: number;
                /** @description Nested graph run once per item; its nodes may use {{item...}} and {{index}} */
                iterator: {
                    nodes: {
                        [key: string]: components["schemas"]["FlowRunnerNode"];
                    };
                    start?: string;
                };
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_ml_training: {
            /** @enum {string} */
            type: "ml_training";
            /** @description FlowCtl model-training job: train algorithm on the CSV at dataset_url and keep the model */
            params?: {
                /** @description Name of the model; GET /api/v1/models lists the latest training of each name */
                model_name: string;
                /** @description Training CSV (label first, SageMaker’s convention): s3://bucket/key (the local object store in local mode) or https:// */
                dataset_url: string;
                /** @description SageMaker built-in algorithm: xgboost or linear-learner (default xgboost); locally trained with a JavaScript stand-in (docs/api.md) */
                algorithm?: string;
                /** @description SageMaker hyperparameters (max_depth, num_round, objective, predictor_type, …) */
                hyperparameters?: {
                    [key: string]: string | number | boolean;
                };
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_parallel: {
            /** @enum {string} */
            type: "parallel";
            /** @description Run nested graphs side by side; the node finishes when all of them have */
            params?: {
                /** @description Nested graphs in the workflow dialect: {nodes} (FlowRunner), {tasks} (FlowCtl), {steps} or a step list (CloudFlow) */
                branches: {
                    nodes: {
                        [key: string]: components["schemas"]["FlowRunnerNode"];
                    };
                    start?: string;
                }[];
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_pass: {
            /** @enum {string} */
            type: "pass";
            /** @description Produce a fixed output (a native Pass state unless something reads it) */
            params?: {
                /** @description The node output */
                result?: unknown;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_send_email: {
            /** @enum {string} */
            type: "send_email";
            /** @description Send one email per record of the previous step from a template; the output is {sent, failed} */
            params?: {
                /** @description The email template (GET /api/v1/email-templates) */
                template_id: string;
                /** @description Recipient (or recipients); may be a {{template}}. Default: each record’s `email` field */
                to?: string | string[];
                /** @description Merged into every record’s placeholders (may contain {{templates}}) */
                data?: {
                    [key: string]: unknown;
                };
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_subworkflow: {
            /** @enum {string} */
            type: "subworkflow";
            /** @description Start another workflow */
            params?: {
                /** @description Workflow to run */
                workflow_id: string;
                /** @description Child execution input; may contain {{templates}} */
                input?: unknown;
                /**
                 * @description Wait for the child to finish (callback) or just start it
                 * @default true
                 */
                wait: boolean;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_transform: {
            /** @enum {string} */
            type: "transform";
            /** @description Reshape data with JSONata (`expression`) or sandboxed JavaScript (`script`) */
            params?: {
                /** @description JSONata expression, evaluated by the task runner */
                expression?: string;
                /** @description JavaScript (CloudFlow) evaluated in a sandbox with no I/O: `data` is the previous step’s records, the value of the last expression is the output */
                script?: string;
                /** @description What the expression sees as `$` (default {input, steps}), or the script’s `data` (default the previous step’s records) */
                input?: unknown;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_wait: {
            /** @enum {string} */
            type: "wait";
            /** @description Pause the workflow (a native Wait state when the time is static) */
            params?: {
                /** @description Whole seconds, or a {{template}} */
                seconds?: number | string;
                /** @description Duration such as "30s" or "5m", or a {{template}} */
                duration?: number | string;
                /** @description Absolute time to wait until */
                until?: string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        FlowRunnerNode_webhook: {
            /** @enum {string} */
            type: "webhook";
            /** @description Deliver a payload to a URL, signed like Stepwise webhooks when the account has a signing secret */
            params?: {
                /** @description Target URL */
                url: string;
                /**
                 * @description HTTP method, default POST
                 * @default POST
                 * @enum {string}
                 */
                method: "POST" | "PUT" | "PATCH";
                /** @description Request headers; values may contain {{secrets.KEY}} */
                headers?: {
                    [key: string]: string;
                };
                /** @description Payload; defaults to the execution input when absent */
                body?: unknown;
                /** @description Account secret that signs the delivery (Standard Webhooks headers). Default WEBHOOK_SECRET; without that secret the POST is sent unsigned */
                signing_secret?: string;
            };
            /** @description The next node id(s), or {default: id} */
            next?: string | string[] | {
                [key: string]: string | string[];
            };
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            name?: string;
            description?: string;
        };
        WorkflowTask: {
            id: string;
            workflow_id: string;
            name: string;
            type: string;
            status: string;
            payload: {
                [key: string]: unknown;
            };
            priority: number | null;
            dependencies: string[];
            /** @description Effective retries after the first attempt */
            max_retries: number;
            timeout_seconds: number | null;
            /** @description This node’s task in the latest run (GET /tasks/{task_id}) */
            task_id: string | null;
            execution_id: string | null;
            retry_count: number;
            error: string | null;
            started_at: string | null;
            completed_at: string | null;
        };
        /** @description The effective execution settings (FlowCtl config with its defaults applied, in seconds) */
        WorkflowConfig: {
            max_concurrency: number;
            timeout_seconds: number;
            retry_policy: {
                max_attempts: number;
                interval_seconds: number;
                backoff_rate: number;
                max_delay_seconds: number;
            };
        };
        WorkflowTrigger: {
            /** @enum {string} */
            type: "manual";
        } | {
            /** @enum {string} */
            type: "schedule";
            cron: string;
            timezone: string;
        } | {
            /** @enum {string} */
            type: "webhook";
        } | {
            /** @enum {string} */
            type: "event";
            events: string[];
            filter?: {
                [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
            };
        };
        /** @description A CloudFlow step: its type’s params sit inline next to `type` */
        CloudFlowStep: components["schemas"]["CloudFlowStep_approval"] | components["schemas"]["CloudFlowStep_choice"] | components["schemas"]["CloudFlowStep_ci"] | components["schemas"]["CloudFlowStep_etl"] | components["schemas"]["CloudFlowStep_fail"] | components["schemas"]["CloudFlowStep_fetch_data"] | components["schemas"]["CloudFlowStep_generic"] | components["schemas"]["CloudFlowStep_http_request"] | components["schemas"]["CloudFlowStep_lambda"] | components["schemas"]["CloudFlowStep_map"] | components["schemas"]["CloudFlowStep_ml_training"] | components["schemas"]["CloudFlowStep_parallel"] | components["schemas"]["CloudFlowStep_pass"] | components["schemas"]["CloudFlowStep_send_email"] | components["schemas"]["CloudFlowStep_subworkflow"] | components["schemas"]["CloudFlowStep_transform"] | components["schemas"]["CloudFlowStep_wait"] | components["schemas"]["CloudFlowStep_webhook"];
        /** @description Wait until someone approves or rejects (callback with a task token) */
        CloudFlowStep_approval: {
            /** @enum {string} */
            type: "approval";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description What the approvers are asked; may contain {{templates}} (never {{secrets.…}}) */
            message?: string;
            /** @description User ids, usernames or emails who may decide; none: any member with workflows:write */
            approvers?: string[];
            /** @description How long to wait for a decision (the state's TimeoutSeconds); then the node fails with Stepwise.ApprovalTimeout */
            timeout?: number | string;
            /**
             * @description fail: a rejection fails the node; continue: the node completes with decision "reject" so a choice can route on it. Default: continue when a choice right after the node reads steps.<id>, else fail
             * @enum {string}
             */
            on_reject?: "fail" | "continue";
        };
        /** @description Route to one branch; the other branches are skipped */
        CloudFlowStep_choice: {
            /** @enum {string} */
            type: "choice";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description Conditions, tried in order; the first true one wins */
            choices: {
                /** @description JSONata condition over {input, steps}, evaluated by the task runner */
                when: string;
                /** @description Node to run when the condition is true */
                next: string;
            }[];
            /** @description Node to run when no condition holds; without it the branches are skipped */
            default?: string;
        };
        /** @description FlowCtl continuous-integration job: clone repo_url at branch, run command there */
        CloudFlowStep_ci: {
            /** @enum {string} */
            type: "ci";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Repository to clone: https://, ssh://, git@host:path; locally also file:// or an absolute path */
            repo_url: string;
            /** @description Shell command run in the checkout (`sh -c`) */
            command: string;
            /** @description Branch or tag to check out; default the repository’s default branch */
            branch?: string;
            /** @description Target environment name, passed as STEPWISE_ENVIRONMENT */
            environment?: string;
            /** @description How long the job may run (clone included) before its process group is killed; default 1h */
            timeout?: number | string;
        };
        /** @description FlowCtl extract/transform/load job */
        CloudFlowStep_etl: {
            /** @enum {string} */
            type: "etl";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description A data location URL such as s3://bucket/key or postgres://host/db */
            source_url: string;
            /** @description A data location URL such as s3://bucket/key or postgres://host/db */
            target_url: string;
            /** @description The source's format: csv, json, ndjson, parquet (jsonl is ndjson); default: the source's extension, else json. An S3 target without a .csv, .json or .ndjson extension is written in it too (not parquet) */
            format?: string;
            /** @description normalize, dedupe, or a JSONata expression applied to each record */
            transformation?: string;
        };
        /** @description Stop the execution as failed */
        CloudFlowStep_fail: {
            /** @enum {string} */
            type: "fail";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /**
             * @description Error name
             * @default WorkflowFailed
             */
            error: string;
            /** @description Human-readable cause */
            cause?: string;
        };
        /** @description Read records from a data source (postgres, http); the output is {records, count} */
        CloudFlowStep_fetch_data: {
            /** @enum {string} */
            type: "fetch_data";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description The data source’s name (GET /api/v1/data-sources); `local` is the local Postgres */
            source: string;
            /** @description postgres: SQL with named parameters (:last_run, :input.x, :steps.<id>.output.y), sent as bind parameters, never spliced in */
            query?: string;
            /** @description Column = value conditions (postgres: WHERE col = $1 AND …; http: records whose field equals the value) */
            filters?: {
                [key: string]: string | number | boolean | null;
            };
            /** @description At most this many records (default 10,000) */
            limit?: number;
        };
        /** @description FlowCtl generic command: run a program with arguments and environment */
        CloudFlowStep_generic: {
            /** @enum {string} */
            type: "generic";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Program and its arguments, split into words with shell quoting and no shell expansion (no pipes, $VARS or globs) */
            command: string;
            /** @description Arguments appended after the command line’s words */
            args?: string[];
            /** @description Environment variables; a value may be a whole {{secrets.KEY}} */
            environment?: {
                [key: string]: string;
            };
            /** @description How long the command may run before its whole process group is killed; default 1h */
            timeout?: number | string;
        };
        /** @description Make an HTTP request; the response (status, headers, body) is the node output */
        CloudFlowStep_http_request: {
            /** @enum {string} */
            type: "http.request";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Request URL; may contain {{templates}} */
            url: string;
            /**
             * @description HTTP method, default GET
             * @default GET
             * @enum {string}
             */
            method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
            /** @description Request headers; values may contain {{secrets.KEY}} */
            headers?: {
                [key: string]: string;
            };
            /** @description Query-string parameters */
            query?: {
                [key: string]: string | number | boolean;
            };
            /** @description JSON body (objects are sent as JSON, strings as-is) */
            body?: unknown;
            /** @description Per-attempt HTTP timeout, enforced by the runner */
            timeout?: number | string;
        };
        /** @description Invoke an AWS Lambda function (through the task runner, which resolves templates first) */
        CloudFlowStep_lambda: {
            /** @enum {string} */
            type: "lambda";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description Function to invoke */
            function_arn: string;
            /** @description Event passed to the function; may contain {{templates}} */
            payload?: unknown;
        };
        /** @description Run a nested graph for each item of an array */
        CloudFlowStep_map: {
            /** @enum {string} */
            type: "map";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description The array to iterate: a JSONPath into the execution input ($.orders), a whole {{template}}, or a literal array */
            items: string | unknown[];
            /** @description Iterations at once; defaults to the workflow max_concurrency */
            max_concurrency?: number;
            /** @description Nested graph run once per item; its nodes may use {{item...}} and {{index}} */
            iterator: {
                steps: components["schemas"]["CloudFlowStep"][];
            } | components["schemas"]["CloudFlowStep"][];
        };
        /** @description FlowCtl model-training job: train algorithm on the CSV at dataset_url and keep the model */
        CloudFlowStep_ml_training: {
            /** @enum {string} */
            type: "ml_training";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description Name of the model; GET /api/v1/models lists the latest training of each name */
            model_name: string;
            /** @description Training CSV (label first, SageMaker’s convention): s3://bucket/key (the local object store in local mode) or https:// */
            dataset_url: string;
            /** @description SageMaker built-in algorithm: xgboost or linear-learner (default xgboost); locally trained with a JavaScript stand-in (docs/api.md) */
            algorithm?: string;
            /** @description SageMaker hyperparameters (max_depth, num_round, objective, predictor_type, …) */
            hyperparameters?: {
                [key: string]: string | number | boolean;
            };
        };
        /** @description Run nested graphs side by side; the node finishes when all of them have */
        CloudFlowStep_parallel: {
            /** @enum {string} */
            type: "parallel";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description Nested graphs in the workflow dialect: {nodes} (FlowRunner), {tasks} (FlowCtl), {steps} or a step list (CloudFlow) */
            branches: ({
                steps: components["schemas"]["CloudFlowStep"][];
            } | components["schemas"]["CloudFlowStep"][])[];
        };
        /** @description Produce a fixed output (a native Pass state unless something reads it) */
        CloudFlowStep_pass: {
            /** @enum {string} */
            type: "pass";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description The node output */
            result?: unknown;
        };
        /** @description Send one email per record of the previous step from a template; the output is {sent, failed} */
        CloudFlowStep_send_email: {
            /** @enum {string} */
            type: "send_email";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description The email template (GET /api/v1/email-templates) */
            template_id: string;
            /** @description Recipient (or recipients); may be a {{template}}. Default: each record’s `email` field */
            to?: string | string[];
            /** @description Merged into every record’s placeholders (may contain {{templates}}) */
            data?: {
                [key: string]: unknown;
            };
        };
        /** @description Start another workflow */
        CloudFlowStep_subworkflow: {
            /** @enum {string} */
            type: "subworkflow";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description Workflow to run */
            workflow_id: string;
            /** @description Child execution input; may contain {{templates}} */
            input?: unknown;
            /**
             * @description Wait for the child to finish (callback) or just start it
             * @default true
             */
            wait: boolean;
        };
        /** @description Reshape data with JSONata (`expression`) or sandboxed JavaScript (`script`) */
        CloudFlowStep_transform: {
            /** @enum {string} */
            type: "transform";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description JSONata expression, evaluated by the task runner */
            expression?: string;
            /** @description JavaScript (CloudFlow) evaluated in a sandbox with no I/O: `data` is the previous step’s records, the value of the last expression is the output */
            script?: string;
            /** @description What the expression sees as `$` (default {input, steps}), or the script’s `data` (default the previous step’s records) */
            input?: unknown;
        };
        /** @description Pause the workflow (a native Wait state when the time is static) */
        CloudFlowStep_wait: {
            /** @enum {string} */
            type: "wait";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description Whole seconds, or a {{template}} */
            seconds?: number | string;
            /** @description Duration such as "30s" or "5m", or a {{template}} */
            duration?: number | string;
            /** @description Absolute time to wait until */
            until?: string;
        };
        /** @description Deliver a payload to a URL, signed like Stepwise webhooks when the account has a signing secret */
        CloudFlowStep_webhook: {
            /** @enum {string} */
            type: "webhook";
            /** @description Step id (default step_<n>) */
            id?: string;
            name?: string;
            description?: string;
            /** @description Jump to this step instead of the following one */
            next?: string;
            /** @description Stop after this step */
            end?: boolean;
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            /** @description This node’s own retry policy over the workflow default */
            retry?: {
                /** @description All attempts, the first included (default 3) */
                max_attempts?: number;
                /** @description Delay before the first retry (default "1s") */
                initial_delay?: number | string;
                /** @description Longest single delay (default "5m") */
                max_delay?: number | string;
                /** @description Delay multiplier per retry (default 2.0) */
                backoff_factor?: number;
            };
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            /** @description Target URL */
            url: string;
            /**
             * @description HTTP method, default POST
             * @default POST
             * @enum {string}
             */
            method: "POST" | "PUT" | "PATCH";
            /** @description Request headers; values may contain {{secrets.KEY}} */
            headers?: {
                [key: string]: string;
            };
            /** @description Payload; defaults to the execution input when absent */
            body?: unknown;
            /** @description Account secret that signs the delivery (Standard Webhooks headers). Default WEBHOOK_SECRET; without that secret the POST is sent unsigned */
            signing_secret?: string;
        };
        WorkflowMetrics: {
            total_runs: number;
            /** @description Percent of finished runs that completed */
            success_rate: number | null;
            avg_duration_ms: number | null;
            last_error: string | null;
        };
        /** @description One dialect per workflow: FlowRunner `definition`, FlowCtl `tasks` (+ `config`), or CloudFlow `steps` (+ `trigger`) */
        CreateWorkflowRequest: components["schemas"]["CreateWorkflowRequestFlowRunner"] | components["schemas"]["CreateWorkflowRequestFlowCtl"] | components["schemas"]["CreateWorkflowRequestCloudFlow"];
        CreateWorkflowRequestFlowRunner: {
            /** @description Defaults to the definition’s metadata.name (FlowRunner) */
            name?: string;
            description?: string | null;
            tags?: string[];
            /** @enum {string} */
            status?: "active" | "paused" | "archived";
            /** @description Start a run right after creating it (FlowCtl create-and-queue) */
            run?: boolean;
            /** @description Input of that first run */
            input?: {
                [key: string]: unknown;
            };
            /** @description FlowCtl: {max_concurrency, timeout, retry_policy} */
            config?: {
                /** @description Nodes running at once (default 10) */
                max_concurrency?: number;
                /** @description Whole-execution timeout (default "1h") */
                timeout?: number | string;
                /** @description Retry policy (FlowCtl names) */
                retry_policy?: {
                    /** @description All attempts, the first included (default 3) */
                    max_attempts?: number;
                    /** @description Delay before the first retry (default "1s") */
                    initial_delay?: number | string;
                    /** @description Longest single delay (default "5m") */
                    max_delay?: number | string;
                    /** @description Delay multiplier per retry (default 2.0) */
                    backoff_factor?: number;
                };
            };
            /** @description How runs start: manual, schedule, webhook or event (docs/api.md#triggers) */
            trigger?: {
                /** @enum {string} */
                type: "manual";
            } | {
                /** @enum {string} */
                type: "schedule";
                cron: string;
                /** @default UTC */
                timezone: string;
            } | {
                /** @enum {string} */
                type: "webhook";
                url?: string;
            } | {
                /** @enum {string} */
                type: "event";
                events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled")[];
                /** @enum {string} */
                event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled";
                filter?: {
                    [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
                };
            };
            /** @description FlowRunner: YAML text (or the parsed object) with metadata and nodes */
            definition: string | components["schemas"]["FlowRunnerDefinition"];
        };
        CreateWorkflowRequestFlowCtl: {
            /** @description Defaults to the definition’s metadata.name (FlowRunner) */
            name?: string;
            description?: string | null;
            tags?: string[];
            /** @enum {string} */
            status?: "active" | "paused" | "archived";
            /** @description Start a run right after creating it (FlowCtl create-and-queue) */
            run?: boolean;
            /** @description Input of that first run */
            input?: {
                [key: string]: unknown;
            };
            /** @description FlowCtl: {max_concurrency, timeout, retry_policy} */
            config?: {
                /** @description Nodes running at once (default 10) */
                max_concurrency?: number;
                /** @description Whole-execution timeout (default "1h") */
                timeout?: number | string;
                /** @description Retry policy (FlowCtl names) */
                retry_policy?: {
                    /** @description All attempts, the first included (default 3) */
                    max_attempts?: number;
                    /** @description Delay before the first retry (default "1s") */
                    initial_delay?: number | string;
                    /** @description Longest single delay (default "5m") */
                    max_delay?: number | string;
                    /** @description Delay multiplier per retry (default 2.0) */
                    backoff_factor?: number;
                };
            };
            /** @description How runs start: manual, schedule, webhook or event (docs/api.md#triggers) */
            trigger?: {
                /** @enum {string} */
                type: "manual";
            } | {
                /** @enum {string} */
                type: "schedule";
                cron: string;
                /** @default UTC */
                timezone: string;
            } | {
                /** @enum {string} */
                type: "webhook";
                url?: string;
            } | {
                /** @enum {string} */
                type: "event";
                events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled")[];
                /** @enum {string} */
                event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled";
                filter?: {
                    [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
                };
            };
            /** @description FlowCtl: the task DAG */
            tasks: components["schemas"]["FlowCtlTask"][];
        };
        /** @description A FlowCtl task; `payload` holds the params of its `type` */
        FlowCtlTask: components["schemas"]["FlowCtlTask_approval"] | components["schemas"]["FlowCtlTask_choice"] | components["schemas"]["FlowCtlTask_ci"] | components["schemas"]["FlowCtlTask_etl"] | components["schemas"]["FlowCtlTask_fail"] | components["schemas"]["FlowCtlTask_fetch_data"] | components["schemas"]["FlowCtlTask_generic"] | components["schemas"]["FlowCtlTask_http_request"] | components["schemas"]["FlowCtlTask_lambda"] | components["schemas"]["FlowCtlTask_map"] | components["schemas"]["FlowCtlTask_ml_training"] | components["schemas"]["FlowCtlTask_parallel"] | components["schemas"]["FlowCtlTask_pass"] | components["schemas"]["FlowCtlTask_send_email"] | components["schemas"]["FlowCtlTask_subworkflow"] | components["schemas"]["FlowCtlTask_transform"] | components["schemas"]["FlowCtlTask_wait"] | components["schemas"]["FlowCtlTask_webhook"];
        FlowCtlTask_approval: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "approval";
            /** @description Wait until someone approves or rejects (callback with a task token) */
            payload?: {
                /** @description What the approvers are asked; may contain {{templates}} (never {{secrets.…}}) */
                message?: string;
                /** @description User ids, usernames or emails who may decide; none: any member with workflows:write */
                approvers?: string[];
                /** @description How long to wait for a decision (the state's TimeoutSeconds); then the node fails with Stepwise.ApprovalTimeout */
                timeout?: number | string;
                /**
                 * @description fail: a rejection fails the node; continue: the node completes with decision "reject" so a choice can route on it. Default: continue when a choice right after the node reads steps.<id>, else fail
                 * @enum {string}
                 */
                on_reject?: "fail" | "continue";
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_choice: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "choice";
            /** @description Route to one branch; the other branches are skipped */
            payload?: {
                /** @description Conditions, tried in order; the first true one wins */
                choices: {
                    /** @description JSONata condition over {input, steps}, evaluated by the task runner */
                    when: string;
                    /** @description Node to run when the condition is true */
                    next: string;
                }[];
                /** @description Node to run when no condition holds; without it the branches are skipped */
                default?: string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_ci: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "ci";
            /** @description FlowCtl continuous-integration job: clone repo_url at branch, run command there */
            payload?: {
                /** @description Repository to clone: https://, ssh://, git@host:path; locally also file:// or an absolute path */
                repo_url: string;
                /** @description Shell command run in the checkout (`sh -c`) */
                command: string;
                /** @description Branch or tag to check out; default the repository’s default branch */
                branch?: string;
                /** @description Target environment name, passed as STEPWISE_ENVIRONMENT */
                environment?: string;
                /** @description How long the job may run (clone included) before its process group is killed; default 1h */
                timeout?: number | string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_etl: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "etl";
            /** @description FlowCtl extract/transform/load job */
            payload?: {
                /** @description A data location URL such as s3://bucket/key or postgres://host/db */
                source_url: string;
                /** @description A data location URL such as s3://bucket/key or postgres://host/db */
                target_url: string;
                /** @description The source's format: csv, json, ndjson, parquet (jsonl is ndjson); default: the source's extension, else json. An S3 target without a .csv, .json or .ndjson extension is written in it too (not parquet) */
                format?: string;
                /** @description normalize, dedupe, or a JSONata expression applied to each record */
                transformation?: string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_fail: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "fail";
            /** @description Stop the execution as failed */
            payload?: {
                /**
                 * @description Error name
                 * @default WorkflowFailed
                 */
                error: string;
                /** @description Human-readable cause */
                cause?: string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_fetch_data: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "fetch_data";
            /** @description Read records from a data source (postgres, http); the output is {records, count} */
            payload?: {
                /** @description The data source’s name (GET /api/v1/data-sources); `local` is the local Postgres */
                source: string;
                /** @description postgres: SQL with named parameters (:last_run, :input.x, :steps.<id>.output.y), sent as bind parameters, never spliced in */
                query?: string;
                /** @description Column = value conditions (postgres: WHERE col = $1 AND …; http: records whose field equals the value) */
                filters?: {
                    [key: string]: string | number | boolean | null;
                };
                /** @description At most this many records (default 10,000) */
                limit?: number;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_generic: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "generic";
            /** @description FlowCtl generic command: run a program with arguments and environment */
            payload?: {
                /** @description Program and its arguments, split into words with shell quoting and no shell expansion (no pipes, $VARS or globs) */
                command: string;
                /** @description Arguments appended after the command line’s words */
                args?: string[];
                /** @description Environment variables; a value may be a whole {{secrets.KEY}} */
                environment?: {
                    [key: string]: string;
                };
                /** @description How long the command may run before its whole process group is killed; default 1h */
                timeout?: number | string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_http_request: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "http.request";
            /** @description Make an HTTP request; the response (status, headers, body) is the node output */
            payload?: {
                /** @description Request URL; may contain {{templates}} */
                url: string;
                /**
                 * @description HTTP method, default GET
                 * @default GET
                 * @enum {string}
                 */
                method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
                /** @description Request headers; values may contain {{secrets.KEY}} */
                headers?: {
                    [key: string]: string;
                };
                /** @description Query-string parameters */
                query?: {
                    [key: string]: string | number | boolean;
                };
                /** @description JSON body (objects are sent as JSON, strings as-is) */
                body?: unknown;
                /** @description Per-attempt HTTP timeout, enforced by the runner */
                timeout?: number | string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_lambda: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "lambda";
            /** @description Invoke an AWS Lambda function (through the task runner, which resolves templates first) */
            payload?: {
                /** @description Function to invoke */
                function_arn: string;
                /** @description Event passed to the function; may contain {{templates}} */
                payload?: unknown;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_map: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "map";
            /** @description Run a nested graph for each item of an array */
            payload?: {
                /** @description The array to iterate: a JSONPath into the execution input ($.orders), a whole {{template}}, or a literal array */
                items: string | unknown[];
                /** @description Iterations at once; defaults to the workflow max_concurrency */
                max_concurrency?: number;
                /** @description Nested graph run once per item; its nodes may use {{item...}} and {{index}} */
                iterator: {
                    tasks: components["schemas"]["FlowCtlTask"][];
                } | components["schemas"]["FlowCtlTask"][];
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_ml_training: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "ml_training";
            /** @description FlowCtl model-training job: train algorithm on the CSV at dataset_url and keep the model */
            payload?: {
                /** @description Name of the model; GET /api/v1/models lists the latest training of each name */
                model_name: string;
                /** @description Training CSV (label first, SageMaker’s convention): s3://bucket/key (the local object store in local mode) or https:// */
                dataset_url: string;
                /** @description SageMaker built-in algorithm: xgboost or linear-learner (default xgboost); locally trained with a JavaScript stand-in (docs/api.md) */
                algorithm?: string;
                /** @description SageMaker hyperparameters (max_depth, num_round, objective, predictor_type, …) */
                hyperparameters?: {
                    [key: string]: string | number | boolean;
                };
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_parallel: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "parallel";
            /** @description Run nested graphs side by side; the node finishes when all of them have */
            payload?: {
                /** @description Nested graphs in the workflow dialect: {nodes} (FlowRunner), {tasks} (FlowCtl), {steps} or a step list (CloudFlow) */
                branches: ({
                    tasks: components["schemas"]["FlowCtlTask"][];
                } | components["schemas"]["FlowCtlTask"][])[];
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_pass: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "pass";
            /** @description Produce a fixed output (a native Pass state unless something reads it) */
            payload?: {
                /** @description The node output */
                result?: unknown;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_send_email: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "send_email";
            /** @description Send one email per record of the previous step from a template; the output is {sent, failed} */
            payload?: {
                /** @description The email template (GET /api/v1/email-templates) */
                template_id: string;
                /** @description Recipient (or recipients); may be a {{template}}. Default: each record’s `email` field */
                to?: string | string[];
                /** @description Merged into every record’s placeholders (may contain {{templates}}) */
                data?: {
                    [key: string]: unknown;
                };
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_subworkflow: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "subworkflow";
            /** @description Start another workflow */
            payload?: {
                /** @description Workflow to run */
                workflow_id: string;
                /** @description Child execution input; may contain {{templates}} */
                input?: unknown;
                /**
                 * @description Wait for the child to finish (callback) or just start it
                 * @default true
                 */
                wait: boolean;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_transform: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "transform";
            /** @description Reshape data with JSONata (`expression`) or sandboxed JavaScript (`script`) */
            payload?: {
                /** @description JSONata expression, evaluated by the task runner */
                expression?: string;
                /** @description JavaScript (CloudFlow) evaluated in a sandbox with no I/O: `data` is the previous step’s records, the value of the last expression is the output */
                script?: string;
                /** @description What the expression sees as `$` (default {input, steps}), or the script’s `data` (default the previous step’s records) */
                input?: unknown;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_wait: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "wait";
            /** @description Pause the workflow (a native Wait state when the time is static) */
            payload?: {
                /** @description Whole seconds, or a {{template}} */
                seconds?: number | string;
                /** @description Duration such as "30s" or "5m", or a {{template}} */
                duration?: number | string;
                /** @description Absolute time to wait until */
                until?: string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        FlowCtlTask_webhook: {
            /** @description Task name, unique in the workflow (the node id) */
            name: string;
            /** @enum {string} */
            type: "webhook";
            /** @description Deliver a payload to a URL, signed like Stepwise webhooks when the account has a signing secret */
            payload?: {
                /** @description Target URL */
                url: string;
                /**
                 * @description HTTP method, default POST
                 * @default POST
                 * @enum {string}
                 */
                method: "POST" | "PUT" | "PATCH";
                /** @description Request headers; values may contain {{secrets.KEY}} */
                headers?: {
                    [key: string]: string;
                };
                /** @description Payload; defaults to the execution input when absent */
                body?: unknown;
                /** @description Account secret that signs the delivery (Standard Webhooks headers). Default WEBHOOK_SECRET; without that secret the POST is sent unsigned */
                signing_secret?: string;
            };
            /** @description Tasks that must finish first */
            dependencies?: string[];
            /** @description Retries after the first attempt (overrides the workflow retry_policy) */
            max_retries?: number;
            priority?: number;
            /** @description Per-node timeout: seconds, or a duration such as "30s" */
            timeout?: number | string;
            description?: string;
        };
        CreateWorkflowRequestCloudFlow: {
            /** @description Defaults to the definition’s metadata.name (FlowRunner) */
            name?: string;
            description?: string | null;
            tags?: string[];
            /** @enum {string} */
            status?: "active" | "paused" | "archived";
            /** @description Start a run right after creating it (FlowCtl create-and-queue) */
            run?: boolean;
            /** @description Input of that first run */
            input?: {
                [key: string]: unknown;
            };
            /** @description FlowCtl: {max_concurrency, timeout, retry_policy} */
            config?: {
                /** @description Nodes running at once (default 10) */
                max_concurrency?: number;
                /** @description Whole-execution timeout (default "1h") */
                timeout?: number | string;
                /** @description Retry policy (FlowCtl names) */
                retry_policy?: {
                    /** @description All attempts, the first included (default 3) */
                    max_attempts?: number;
                    /** @description Delay before the first retry (default "1s") */
                    initial_delay?: number | string;
                    /** @description Longest single delay (default "5m") */
                    max_delay?: number | string;
                    /** @description Delay multiplier per retry (default 2.0) */
                    backoff_factor?: number;
                };
            };
            /** @description How runs start: manual, schedule, webhook or event (docs/api.md#triggers) */
            trigger?: {
                /** @enum {string} */
                type: "manual";
            } | {
                /** @enum {string} */
                type: "schedule";
                cron: string;
                /** @default UTC */
                timezone: string;
            } | {
                /** @enum {string} */
                type: "webhook";
                url?: string;
            } | {
                /** @enum {string} */
                type: "event";
                events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled")[];
                /** @enum {string} */
                event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled";
                filter?: {
                    [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
                };
            };
            /** @description CloudFlow: ordered steps */
            steps: components["schemas"]["CloudFlowStep"][];
        };
        /** @description One dialect per workflow: FlowRunner `definition`, FlowCtl `tasks` (+ `config`), or CloudFlow `steps` (+ `trigger`) */
        PublishWorkflow: components["schemas"]["PublishWorkflowFlowRunner"] | components["schemas"]["PublishWorkflowFlowCtl"] | components["schemas"]["PublishWorkflowCloudFlow"];
        PublishWorkflowFlowRunner: {
            /** @description Defaults to the definition’s metadata.name (FlowRunner) */
            name?: string;
            description?: string | null;
            tags?: string[];
            /** @enum {string} */
            status?: "active" | "paused" | "archived";
            /** @description Expected current revision (alternative to If-Match) */
            revision?: number;
            /** @description FlowCtl: {max_concurrency, timeout, retry_policy} */
            config?: {
                /** @description Nodes running at once (default 10) */
                max_concurrency?: number;
                /** @description Whole-execution timeout (default "1h") */
                timeout?: number | string;
                /** @description Retry policy (FlowCtl names) */
                retry_policy?: {
                    /** @description All attempts, the first included (default 3) */
                    max_attempts?: number;
                    /** @description Delay before the first retry (default "1s") */
                    initial_delay?: number | string;
                    /** @description Longest single delay (default "5m") */
                    max_delay?: number | string;
                    /** @description Delay multiplier per retry (default 2.0) */
                    backoff_factor?: number;
                };
            };
            /** @description How runs start: manual, schedule, webhook or event (docs/api.md#triggers) */
            trigger?: {
                /** @enum {string} */
                type: "manual";
            } | {
                /** @enum {string} */
                type: "schedule";
                cron: string;
                /** @default UTC */
                timezone: string;
            } | {
                /** @enum {string} */
                type: "webhook";
                url?: string;
            } | {
                /** @enum {string} */
                type: "event";
                events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled")[];
                /** @enum {string} */
                event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled";
                filter?: {
                    [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
                };
            };
            /** @description FlowRunner: YAML text (or the parsed object) with metadata and nodes */
            definition: string | components["schemas"]["FlowRunnerDefinition"];
        };
        PublishWorkflowFlowCtl: {
            /** @description Defaults to the definition’s metadata.name (FlowRunner) */
            name?: string;
            description?: string | null;
            tags?: string[];
            /** @enum {string} */
            status?: "active" | "paused" | "archived";
            /** @description Expected current revision (alternative to If-Match) */
            revision?: number;
            /** @description FlowCtl: {max_concurrency, timeout, retry_policy} */
            config?: {
                /** @description Nodes running at once (default 10) */
                max_concurrency?: number;
                /** @description Whole-execution timeout (default "1h") */
                timeout?: number | string;
                /** @description Retry policy (FlowCtl names) */
                retry_policy?: {
                    /** @description All attempts, the first included (default 3) */
                    max_attempts?: number;
                    /** @description Delay before the first retry (default "1s") */
                    initial_delay?: number | string;
                    /** @description Longest single delay (default "5m") */
                    max_delay?: number | string;
                    /** @description Delay multiplier per retry (default 2.0) */
                    backoff_factor?: number;
                };
            };
            /** @description How runs start: manual, schedule, webhook or event (docs/api.md#triggers) */
            trigger?: {
                /** @enum {string} */
                type: "manual";
            } | {
                /** @enum {string} */
                type: "schedule";
                cron: string;
                /** @default UTC */
                timezone: string;
            } | {
                /** @enum {string} */
                type: "webhook";
                url?: string;
            } | {
                /** @enum {string} */
                type: "event";
                events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled")[];
                /** @enum {string} */
                event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled";
                filter?: {
                    [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
                };
            };
            /** @description FlowCtl: the task DAG */
            tasks: components["schemas"]["FlowCtlTask"][];
        };
        PublishWorkflowCloudFlow: {
            /** @description Defaults to the definition’s metadata.name (FlowRunner) */
            name?: string;
            description?: string | null;
            tags?: string[];
            /** @enum {string} */
            status?: "active" | "paused" | "archived";
            /** @description Expected current revision (alternative to If-Match) */
            revision?: number;
            /** @description FlowCtl: {max_concurrency, timeout, retry_policy} */
            config?: {
                /** @description Nodes running at once (default 10) */
                max_concurrency?: number;
                /** @description Whole-execution timeout (default "1h") */
                timeout?: number | string;
                /** @description Retry policy (FlowCtl names) */
                retry_policy?: {
                    /** @description All attempts, the first included (default 3) */
                    max_attempts?: number;
                    /** @description Delay before the first retry (default "1s") */
                    initial_delay?: number | string;
                    /** @description Longest single delay (default "5m") */
                    max_delay?: number | string;
                    /** @description Delay multiplier per retry (default 2.0) */
                    backoff_factor?: number;
                };
            };
            /** @description How runs start: manual, schedule, webhook or event (docs/api.md#triggers) */
            trigger?: {
                /** @enum {string} */
                type: "manual";
            } | {
                /** @enum {string} */
                type: "schedule";
                cron: string;
                /** @default UTC */
                timezone: string;
            } | {
                /** @enum {string} */
                type: "webhook";
                url?: string;
            } | {
                /** @enum {string} */
                type: "event";
                events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled")[];
                /** @enum {string} */
                event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled";
                filter?: {
                    [key: string]: string | number | boolean | null | (string | number | boolean | null)[];
                };
            };
            /** @description CloudFlow: ordered steps */
            steps: components["schemas"]["CloudFlowStep"][];
        };
        PatchWorkflow: {
            name?: string;
            description?: string | null;
            tags?: string[];
            /** @enum {string} */
            status?: "active" | "paused" | "archived";
            revision?: number;
        };
        WorkflowVersionList: {
            data: components["schemas"]["WorkflowVersion"][];
            versions: components["schemas"]["WorkflowVersion"][];
            pagination: components["schemas"]["Pagination"];
        };
        WorkflowVersion: {
            version: number;
            workflow_id: string;
            /** @enum {string} */
            dialect: "flowrunner" | "flowctl" | "cloudflow";
            created_at: string;
            created_by: string;
            version_arn: string | null;
            /** @description The version’s Amazon States Language definition */
            asl: {
                [key: string]: unknown;
            };
        };
        WorkflowTaskList: {
            data: components["schemas"]["WorkflowTask"][];
            tasks: components["schemas"]["WorkflowTask"][];
        };
        WorkflowValidation: {
            /** @enum {boolean} */
            valid: true;
            dialect: string;
            /** @description The normalised intermediate representation (statemachines/README.md) */
            ir: {
                [key: string]: unknown;
            };
            /** @description The generated Amazon States Language definition */
            asl: {
                [key: string]: unknown;
            };
            /** @description Always empty on 200: an invalid definition is a 400 listing every issue */
            errors: {
                path: string;
                message: string;
            }[];
            /** @description Nodes that save and compile but may not do what was meant: webhook nodes that would post unsigned (no signing secret), fetch_data nodes naming no data source of the account */
            warnings: {
                path: string;
                /** @enum {string} */
                code: "unsigned_webhook" | "unknown_data_source";
                message: string;
            }[];
        };
        RunStarted: {
            execution_id: string;
            id: string;
            workflow_id: string;
            flow_id: string;
            process_id: string;
            version: number;
            /**
             * @description The start’s answer: running once the run started, even if it has ended since (GET /executions/{id} tells where it is now); failed for a replay of a start that never reached the engine
             * @enum {string}
             */
            status: "pending" | "running" | "completed" | "failed" | "cancelled" | "timed_out";
            message: string;
            created_at: string;
            started_at: string | null;
        };
        RunWorkflow: {
            /** @description The execution input, a JSON object of at most 256 KB */
            input?: {
                [key: string]: unknown;
            };
        };
        ExecutionList: {
            data: components["schemas"]["Execution"][];
            executions: components["schemas"]["Execution"][];
            pagination: components["schemas"]["Pagination"];
            total: number;
            limit: number;
            offset: number;
        };
        Execution: {
            id: string;
            execution_id: string;
            workflow_id: string;
            flow_id: string;
            pipeline_id: string;
            workflow_name: string;
            version: number;
            /** @enum {string} */
            status: "pending" | "running" | "completed" | "failed" | "cancelled" | "timed_out";
            input?: unknown;
            result?: unknown;
            error: string | null;
            failed_node: string | null;
            trigger: string;
            /** @description The execution whose subworkflow node started this one; null for a top-level run */
            parent_execution_id: string | null;
            /** @description That subworkflow node */
            parent_node_id: string | null;
            /** @description Subworkflow nesting: 0 for a top-level run, at most 10 */
            depth: number;
            redrive_count: number;
            created_at: string;
            started_at: string | null;
            completed_at: string | null;
            /** @description Milliseconds (FlowRunner) */
            duration: number | null;
            /** @description Milliseconds (CloudFlow) */
            duration_ms: number | null;
            records_processed: number | null;
            records_failed: number | null;
            /** @description records_failed as a percentage of records_processed */
            error_rate: number | null;
            task_summary?: components["schemas"]["TaskSummary"];
            /** @description Nodes waiting for a decision (approvals); with the execution’s tasks */
            waiting_nodes?: string[];
            tasks?: components["schemas"]["WorkflowRunTask"][];
        };
        TaskSummary: {
            total: number;
            pending: number;
            running: number;
            retrying: number;
            waiting: number;
            completed: number;
            failed: number;
            cancelled: number;
            skipped: number;
        };
        WorkflowRunTaskList: {
            data: components["schemas"]["WorkflowRunTask"][];
            tasks: components["schemas"]["WorkflowRunTask"][];
        };
        ModelList: {
            data: components["schemas"]["Model"][];
            models: components["schemas"]["Model"][];
            total: number;
        };
        Model: {
            model_name: string;
            algorithm: string;
            /** @enum {string} */
            task: "classification" | "regression";
            /** @description s3://<model bucket>/<account>/<model>/<execution>/model.json (local mode: the local object store; AWS: SageMaker’s model.tar.gz) */
            artifact_url: string;
            /** @description Rows trained and validated on; null on AWS, where SageMaker reads the data */
            rows: number | null;
            /** @description accuracy for classification, RMSE for regression */
            metrics: {
                train: {
                    accuracy: number;
                } | {
                    rmse: number;
                } | null;
                validation: {
                    accuracy: number;
                } | {
                    rmse: number;
                } | null;
            };
            workflow_id: string;
            execution_id: string;
            trained_at: string;
            /** @description AWS: the SageMaker training job */
            training_job_name?: string;
        };
        ApprovalList: {
            data: components["schemas"]["Approval"][];
            approvals: components["schemas"]["Approval"][];
        };
        Approval: {
            execution_id: string;
            workflow_id: string;
            node_id: string;
            message: string | null;
            approvers: string[];
            /** @enum {string} */
            on_reject: "fail" | "continue";
            /** @enum {string} */
            status: "pending" | "approved" | "rejected" | "expired" | "closed";
            requested_at: string;
            expires_at: string | null;
            /** @enum {string|null} */
            decision: "approve" | "reject" | null;
            comment: string | null;
            decided_by: string | null;
            decided_at: string | null;
        };
        ApprovalDecision: {
            /** @enum {string} */
            decision: "approve" | "reject";
            comment: string | null;
            decided_by: string;
            decided_at: string;
            approval: components["schemas"]["Approval"];
        };
        ApprovalDecisionRequest: {
            /**
             * @description approve or reject
             * @enum {string}
             */
            decision: "approve" | "reject";
            /** @description Why, at most 2000 characters */
            comment?: string | null;
        };
        ExecutionLogs: {
            data: components["schemas"]["ExecutionLogLine"][];
            logs: components["schemas"]["ExecutionLogLine"][];
            pagination: components["schemas"]["Pagination"];
            total: number;
            limit: number;
            offset: number;
        };
        ExecutionLogLine: {
            id: string;
            timestamp: string;
            /** @enum {string} */
            level: "debug" | "info" | "warn" | "error";
            message: string;
            node_id: string | null;
            node_type: string | null;
            data: {
                [key: string]: unknown;
            } | null;
        };
        /** @description Any JSON object; an empty body is {} */
        WebhookTriggerBody: {
            [key: string]: unknown;
        };
        WebhookToken: {
            workflow_id: string;
            /** @description POST here to start a run; shown only in this response */
            webhook_url: string;
            token: string;
            message: string;
        };
        ProcessList: {
            data: components["schemas"]["Process"][];
            processes: components["schemas"]["Process"][];
            pagination: components["schemas"]["Pagination"];
        };
        Process: {
            process_id: string;
            id: string;
            name: string;
            description: string | null;
            /**
             * @description manual; schedule → time_based; event and webhook → event_based
             * @enum {string}
             */
            trigger_type: "manual" | "time_based" | "event_based";
            /** @description The workflow’s trigger, e.g. {type: "schedule", cron, timezone} */
            trigger: {
                [key: string]: unknown;
            };
            /** @description The cron expression of a schedule trigger */
            schedule: string | null;
            timezone: string | null;
            /** @description The workflow’s status is active (paused and archived workflows do not run) */
            is_active: boolean;
            status: string;
            /** @description When the latest run started */
            last_execution: string | null;
            last_execution_id: string | null;
            last_execution_status: string | null;
            created_at: string;
            updated_at: string;
        };
        Metrics: {
            /** @description FlowCtl: `total` counts workflow definitions; running/completed/failed count executions (FlowCtl’s workflows are runs) */
            workflows: {
                /** @description Workflow definitions */
                total: number;
                running: number;
                completed: number;
                failed: number;
            };
            /** @description Workflow tasks: one per node per execution, by status in that run (total = the sum of the statuses) */
            tasks: {
                total: number;
                pending: number;
                running: number;
                retrying: number;
                waiting: number;
                completed: number;
                failed: number;
                cancelled: number;
                skipped: number;
            };
            /** @description Serverless: no standing worker pool; each runner call is a worker for its duration */
            workers: {
                /** @description Task-runner calls executing now */
                active: number;
                /** @description Task attempts holding their place in a run while they wait out a retry backoff (no call running) */
                idle: number;
            };
            executions: {
                pending: number;
                running: number;
                completed: number;
                failed: number;
                cancelled: number;
                timed_out: number;
                total: number;
            };
            /** @description The account’s own tasks (the tasks API), by status */
            user_tasks: {
                total: number;
                pending: number;
                in_progress: number;
                blocked: number;
                completed: number;
                cancelled: number;
            };
        };
        WorkflowAnalytics: {
            workflow_id: string;
            /** @enum {string} */
            period: "1h" | "24h" | "7d" | "30d";
            /**
             * @description Timeseries bucket size: 5 minutes for 1h, hourly for 24h, daily for 7d and 30d
             * @enum {string}
             */
            granularity: "5m" | "1h" | "1d";
            /** @description `end_date - period`, rounded up to the next 5-minute (1h, 24h) or hour (7d, 30d) boundary */
            start_date: string;
            end_date: string;
            metrics: {
                /** @description Executions that finished in the window, each counted once by its latest outcome */
                execution_count?: number;
                /** @description Completed as a percentage of those executions (null when none finished) */
                success_rate?: number | null;
                /** @description Mean duration of the completed ones, milliseconds (null when none completed) */
                avg_duration?: number | null;
                /** @description Failures and time-outs as they happened, including runs later redriven */
                error_count?: number;
                /** @description Records processed per hour, as reported by tasks (`records_processed` in their output) */
                throughput?: number;
            };
            /** @description Every bucket of the window, oldest first, empty ones included */
            timeseries: {
                /** @description Bucket start (UTC) */
                timestamp: string;
                /** @description Executions that finished in the window, each counted once by its latest outcome */
                execution_count?: number;
                /** @description Completed as a percentage of those executions (null when none finished) */
                success_rate?: number | null;
                /** @description Mean duration of the completed ones, milliseconds (null when none completed) */
                avg_duration?: number | null;
                /** @description Failures and time-outs as they happened, including runs later redriven */
                error_count?: number;
                /** @description Records processed per hour, as reported by tasks (`records_processed` in their output) */
                throughput?: number;
            }[];
        };
        ChatResponse: {
            /** @description The assistant’s answer */
            response: string;
            /** @description Send it back to continue the conversation ("make it urgent") */
            session_id: string;
            /** @description Tasks the message created, changed, listed or asks about, as the tasks API returns them */
            tasks: components["schemas"]["Task"][];
        };
        ChatRequest: {
            /**
             * @description What to do, in plain English (at most 4000 characters)
             * @example Create a task to review project documentation by Friday #docs
             */
            message: string;
            /** @description Continue this conversation (the session_id of an earlier answer); omit or null to start a new one */
            session_id?: string | null;
        };
        ChatSession: {
            id: string;
            /** @description Same as id */
            session_id: string;
            created_at: string;
            updated_at: string;
            /** @description The session and its messages are deleted after this */
            expires_at: string;
            messages: components["schemas"]["ChatMessage"][];
        };
        ChatMessage: {
            seq: number;
            /** @enum {string} */
            role: "user" | "assistant";
            text: string;
            created_at: string;
            /** @description Tasks the turn touched (assistant messages), deleted ones included */
            task_ids: string[];
            /**
             * @description Which engine understood the message (assistant messages)
             * @enum {string}
             */
            engine?: "rules" | "bedrock";
        };
        WebhookList: {
            data: components["schemas"]["Webhook"][];
            pagination: components["schemas"]["Pagination"];
        };
        Webhook: {
            id: string;
            /** @description Same as id */
            webhook_id: string;
            url: string;
            events: string[];
            /** @description The one event type when the webhook subscribes to exactly one (AstraFlow), else null */
            event: string | null;
            description: string | null;
            enabled: boolean;
            /** @enum {string} */
            status: "active" | "disabled";
            /**
             * @description manual (PATCH), gone (the endpoint answered 410), failing (every attempt failed for 5 days)
             * @enum {string|null}
             */
            disabled_reason: "manual" | "gone" | "failing" | null;
            disabled_at: string | null;
            /** @description Start of the current run of failed attempts; the endpoint is disabled after 5 days of them */
            failing_since: string | null;
            /** @description After a rotation: until when deliveries are also signed with the previous secret */
            previous_secret_expires_at: string | null;
            /** @description Only in the create response and after a rotation: store it now, it is never shown again */
            secret?: string;
            created_at: string;
            updated_at: string;
            version: number;
        };
        CreateWebhook: {
            /**
             * @description Where deliveries are POSTed. https on AWS stages (http is also accepted in local mode); private, loopback (outside local mode), link-local and metadata addresses are refused.
             * @example https://example.com/stepwise-webhook
             */
            url: string;
            /**
             * @description One event type (AstraFlow); same as events: [event]
             * @enum {string}
             */
            event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled" | "*";
            events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled" | "*")[];
            /** @description Signing secret: "whsec_" + base64 of 8–64 bytes (Standard Webhooks; the HMAC key is the decoded bytes), or any other text of 8–256 characters (the key is its UTF-8 bytes). Leave it out and one is generated (returned once). */
            secret?: string;
            description?: string | null;
            /** @description Default true */
            enabled?: boolean;
        };
        UpdateWebhook: {
            /**
             * @description Where deliveries are POSTed. https on AWS stages (http is also accepted in local mode); private, loopback (outside local mode), link-local and metadata addresses are refused.
             * @example https://example.com/stepwise-webhook
             */
            url?: string;
            /**
             * @description An event type, or "*" for every event (including types added later)
             * @enum {string}
             */
            event?: "task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled" | "*";
            events?: ("task.created" | "task.updated" | "task.deleted" | "workflow.created" | "workflow.updated" | "workflow.deleted" | "workflow.started" | "workflow.completed" | "workflow.failed" | "workflow.cancelled" | "task.started" | "task.completed" | "task.failed" | "task.retrying" | "pipeline.completed" | "pipeline.failed" | "approval.requested" | "approval.decided" | "webhook.disabled" | "*")[];
            description?: string | null;
            /** @description true re-enables a disabled webhook and resets its failure clock */
            enabled?: boolean;
            /** @description Signing secret: "whsec_" + base64 of 8–64 bytes (Standard Webhooks; the HMAC key is the decoded bytes), or any other text of 8–256 characters (the key is its UTF-8 bytes). Leave it out and one is generated (returned once). */
            secret?: string;
            /** @description Generate a new secret (returned once); the old one keeps signing too for 24 hours */
            rotate_secret?: boolean;
            /** @description Expected current version (alternative to If-Match) */
            version?: number;
        };
        WebhookDeliveryList: {
            data: components["schemas"]["WebhookDelivery"][];
            pagination: components["schemas"]["Pagination"];
        };
        WebhookDelivery: {
            id: string;
            /** @description Same as id; also the webhook-id header of every attempt */
            delivery_id: string;
            webhook_id: string;
            event_id: string;
            event: string;
            test: boolean;
            /**
             * @description pending (more attempts scheduled), delivered, or dead_lettered (given up; replayable)
             * @enum {string}
             */
            status: "pending" | "delivered" | "dead_lettered";
            /** @description true once delivered or dead-lettered */
            final: boolean;
            /** @enum {string|null} */
            dead_letter_reason: "exhausted" | "gone" | "endpoint_disabled" | "webhook_deleted" | "single_attempt" | null;
            attempt_count: number;
            /** @description Attempts one cycle may make (8, or 1 for a test ping); a replay starts a new cycle */
            max_attempts: number;
            next_attempt_at: string | null;
            last_attempt_at: string | null;
            last_status_code: number | null;
            /** @description The envelope sent: {id, event, timestamp, account_id, data} */
            payload: {
                [key: string]: unknown;
            };
            /** @description The latest attempts, oldest first (at most 20) */
            attempts: components["schemas"]["WebhookDeliveryAttempt"][];
            created_at: string;
            updated_at: string;
        };
        WebhookDeliveryAttempt: {
            /** @description 1-based, across replays */
            attempt: number;
            attempted_at: string;
            /** @description null when no response arrived */
            status_code: number | null;
            latency_ms: number;
            /** @description The first 1 KB of the response body, as received */
            response_excerpt: string | null;
            response_truncated: boolean;
            /** @description Why no response arrived (timeout, network, blocked_address, redirect) */
            error: string | null;
            /** @enum {string} */
            outcome: "succeeded" | "failed" | "gone";
            next_attempt_at: string | null;
        };
        EmailTemplateList: {
            data: components["schemas"]["EmailTemplate"][];
        };
        /** @description An email template: subject, text and HTML with {{var}} placeholders */
        EmailTemplate: {
            id: string;
            subject: string;
            text: string;
            html: string;
            created_at: string;
            updated_at: string;
        };
        CreateEmailTemplate: {
            /**
             * @description The template’s id, named by send_email’s template_id
             * @example tpl_welcome_v2
             */
            id: string;
            /** @description Subject line; {{var}} placeholders are filled per recipient (line breaks are taken out) */
            subject: string;
            /**
             * @description Plain-text body with {{var}} placeholders
             * @default
             */
            text: string;
            /**
             * @description HTML body with {{var}} placeholders; values are HTML-escaped
             * @default
             */
            html: string;
        };
        PutEmailTemplate: {
            /** @description Subject line; {{var}} placeholders are filled per recipient (line breaks are taken out) */
            subject: string;
            /**
             * @description Plain-text body with {{var}} placeholders
             * @default
             */
            text: string;
            /**
             * @description HTML body with {{var}} placeholders; values are HTML-escaped
             * @default
             */
            html: string;
        };
        OutboxList: {
            data: components["schemas"]["OutboxEmail"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** @description An email send_email would have sent (local mode without SMTP_URL) */
        OutboxEmail: {
            id: string;
            to: string;
            subject: string;
            text: string;
            html: string;
            sent_at: string;
        };
        DataSourceList: {
            data: components["schemas"]["DataSource"][];
        };
        /** @description A named source fetch_data reads; credentials appear only as {{secrets.KEY}} references */
        DataSource: {
            name: string;
            /** @enum {string} */
            type: "postgres" | "http" | "s3" | "dynamodb";
            url?: string;
            table?: string;
            headers?: {
                [key: string]: string;
            };
            bucket?: string;
            prefix?: string;
            /** @description The local Postgres source every account has in local mode */
            built_in: boolean;
            created_at: string;
            updated_at: string;
        };
        CreateDataSource: {
            /**
             * @description What fetch_data names as its source
             * @example users_table
             */
            name: string;
            /** @enum {string} */
            type: "postgres";
            /** @description postgres:// URL (password as {{secrets.KEY}}), or the http(s) URL */
            url: string;
            /** @description postgres: the default table fetch_data reads; dynamodb: your table */
            table?: string;
        } | {
            /**
             * @description What fetch_data names as its source
             * @example users_table
             */
            name: string;
            /** @enum {string} */
            type: "http";
            /** @description postgres:// URL (password as {{secrets.KEY}}), or the http(s) URL */
            url: string;
            /** @description http: request headers; credential headers must be {{secrets.KEY}} references */
            headers?: {
                [key: string]: string;
            };
        } | {
            /**
             * @description What fetch_data names as its source
             * @example users_table
             */
            name: string;
            /** @enum {string} */
            type: "s3";
            /** @description s3: the bucket */
            bucket: string;
            /** @description s3: the key prefix */
            prefix?: string;
        } | {
            /**
             * @description What fetch_data names as its source
             * @example users_table
             */
            name: string;
            /** @enum {string} */
            type: "dynamodb";
            /** @description Your own DynamoDB table */
            table: string;
        };
        /** @description The fields to change; null removes an optional one. The result is checked whole. */
        PatchDataSource: {
            /** @enum {string} */
            type?: "postgres" | "http" | "s3" | "dynamodb";
            /** @description postgres:// URL (password as {{secrets.KEY}}), or the http(s) URL */
            url?: string;
            table?: string | null;
            headers?: {
                [key: string]: string;
            } | null;
            /** @description s3: the bucket */
            bucket?: string;
            prefix?: string | null;
        };
        Health: {
            /** @enum {string} */
            status: "healthy" | "unhealthy";
            version: string;
            timestamp: string;
            checks: {
                [key: string]: {
                    /** @enum {string} */
                    status: "ok" | "error";
                    latency_ms: number;
                    message?: string;
                };
            };
        };
        /** @description An OpenAPI 3.1 document */
        OpenApiDocument: {
            /** @enum {string} */
            openapi: "3.1.0";
            info: {
                title: string;
                version: string;
            } & {
                [key: string]: unknown;
            };
            paths: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        UserList: {
            data: components["schemas"]["ManagedUser"][];
            users: components["schemas"]["ManagedUser"][];
            pagination: components["schemas"]["Pagination"];
            total: number;
            page: number;
        };
        ManagedUser: {
            user_id: string;
            id: string;
            username: string;
            email: string | null;
            name: string | null;
            lastname: string | null;
            role: string;
            account_id: string;
            created_at: string;
            active: boolean;
            updated_at: string;
        };
        CreateUser: {
            /** Format: email */
            email: string;
            password: string;
            /** @enum {string} */
            role?: "admin" | "member" | "viewer";
            username?: string;
            name?: string;
            lastname?: string;
        };
        UpdateUser: {
            name?: string | null;
            lastname?: string | null;
            password?: string;
            /** @description Required to change your own password */
            current_password?: string;
            /**
             * @description Admins only
             * @enum {string}
             */
            role?: "admin" | "member" | "viewer";
            /** @description Admins only; false ends the user’s sessions and API keys */
            active?: boolean;
        };
        AccountList: {
            data: components["schemas"]["Account"][];
            accounts: components["schemas"]["Account"][];
            pagination: components["schemas"]["Pagination"];
            total: number;
            limit: number;
            offset: number;
        };
        Account: {
            id: string;
            account_id: string;
            name: string;
            /** @enum {string} */
            plan: "free" | "enterprise";
            created_at: string;
            updated_at: string;
        };
        CreatedAccount: {
            id: string;
            account_id: string;
            name: string;
            /** @enum {string} */
            plan: "free" | "enterprise";
            /** @description The first user’s email: they sign in with it */
            email: string | null;
            /**
             * @description The first user’s role: always admin
             * @enum {string}
             */
            role: "admin";
            owner_user_id: string;
            created_at: string;
            updated_at: string;
        };
        CreateAccount: {
            name: string;
            /** Format: email */
            email: string;
            password: string;
            /**
             * @description Ignored: the first user of an account is always its admin
             * @enum {string}
             */
            role?: "admin" | "user";
            /** @enum {string} */
            plan?: "free" | "enterprise";
        };
        UpdateAccount: {
            name?: string;
            /**
             * @description Platform admins only
             * @enum {string}
             */
            plan?: "free" | "enterprise";
            /**
             * Format: email
             * @description Accepted for FlowRunner compatibility; change the owner’s email through /users
             */
            email?: string;
            /**
             * @description Accepted for FlowRunner compatibility; ignored
             * @enum {string}
             */
            role?: "admin" | "user";
        };
        SecretList: {
            /** @description Sorted by key (FlowRunner field name) */
            secrets: components["schemas"]["Secret"][];
            /** @description Same as secrets */
            data: components["schemas"]["Secret"][];
        };
        /** @description A secret’s name and timestamps; the value is write-only */
        Secret: {
            key: string;
            created_at: string;
            updated_at: string;
        };
        CreateSecret: {
            /**
             * @description Env-var style name, referenced in workflows as {{secrets.KEY}}
             * @example API_KEY
             */
            key: string;
            /** @description Write-only: never returned, logged or echoed in errors. At least 8 characters (shorter values cannot be masked), at most 65536 bytes of UTF-8. */
            value: string;
        };
        ReplaceSecret: {
            /** @description Write-only: never returned, logged or echoed in errors. At least 8 characters (shorter values cannot be masked), at most 65536 bytes of UTF-8. */
            value: string;
        };
        ApiKeyList: {
            data: components["schemas"]["ApiKey"][];
            api_keys: components["schemas"]["ApiKey"][];
            pagination: components["schemas"]["Pagination"];
        };
        ApiKey: {
            id: string;
            name: string;
            /** @description The non-secret start of the key, to recognise it */
            prefix: string;
            scopes: ("tasks:read" | "tasks:write" | "workflows:read" | "workflows:write" | "pipelines:read" | "pipelines:write" | "analytics:read" | "admin:full")[];
            user_id: string;
            created_at: string;
            expires_at: string | null;
            last_used_at: string | null;
        };
        CreatedApiKey: {
            id: string;
            name: string;
            /** @description The non-secret start of the key, to recognise it */
            prefix: string;
            scopes: ("tasks:read" | "tasks:write" | "workflows:read" | "workflows:write" | "pipelines:read" | "pipelines:write" | "analytics:read" | "admin:full")[];
            user_id: string;
            created_at: string;
            expires_at: string | null;
            last_used_at: string | null;
            /** @description The secret, shown only in this response. Send it as X-API-Key. */
            key: string;
        };
        CreateApiKey: {
            name: string;
            scopes: ("tasks:read" | "tasks:write" | "workflows:read" | "workflows:write" | "pipelines:read" | "pipelines:write" | "analytics:read" | "admin:full")[];
            /**
             * @description ISO 8601 date-time (e.g. 2025-12-31T23:59:59Z) or date
             * @example 2025-12-31T23:59:59Z
             */
            expires_at?: string;
        };
        TokenResponse: {
            access_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            expires_in: number;
            scope: string;
            refresh_token?: string;
        };
        /** @description RFC 6749 §5.2 token endpoint error */
        OAuthError: {
            /** @enum {string} */
            error: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope";
            error_description: string;
            request_id: string;
        };
        /** @description The one error shape of the API */
        Error: {
            error: {
                /** @enum {string} */
                code: "invalid_request" | "invalid_json" | "validation_error" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "rate_limit_exceeded" | "quota_exceeded" | "payload_too_large" | "internal_error";
                message: string;
                /** @description The offending field (`tags.1`, `limit`, `If-Match`…) */
                field?: string;
                /** @description More about the error; `issues` lists every validation problem */
                details?: {
                    [key: string]: unknown;
                };
                /** @description Seconds until a retry can succeed (429) */
                retry_after?: number;
                request_id: string;
            };
        };
        /** @description grant_type plus the grant’s parameters (RFC 6749 / RFC 7523), form-encoded or JSON */
        TokenRequest: {
            [key: string]: string | number | boolean;
        };
        AuthorizeResponse: {
            code: string;
            redirect_to: string;
            state?: string;
        };
        AuthorizeRequest: {
            /**
             * @description Always code (the authorization-code flow)
             * @enum {string}
             */
            response_type: "code";
            /** @description The OAuth client asking for access */
            client_id: string;
            /**
             * Format: uri
             * @description One of the client’s registered redirect URIs
             */
            redirect_uri: string;
            /** @description Space-separated scopes (default: all of the client’s that you hold) */
            scope?: string;
            /** @description Returned unchanged with the code */
            state?: string;
            /** @description PKCE S256 challenge. Optional: without it the code is redeemed with client_secret and no code_verifier */
            code_challenge?: string;
            /**
             * @description S256 (the only method; the default when code_challenge is given)
             * @enum {string}
             */
            code_challenge_method?: "S256";
        };
        OAuthClientList: {
            data: components["schemas"]["OAuthClient"][];
            clients: components["schemas"]["OAuthClient"][];
        };
        OAuthClient: {
            client_id: string;
            id: string;
            name: string;
            redirect_uris: string[];
            scopes: string[];
            grant_types: string[];
            created_at: string;
        };
        CreatedOAuthClient: {
            client_id: string;
            id: string;
            name: string;
            redirect_uris: string[];
            scopes: string[];
            grant_types: string[];
            created_at: string;
            /** @description Shown only in this response */
            client_secret: string;
        };
        CreateOAuthClient: {
            name: string;
            /** @default [] */
            redirect_uris: string[];
            scopes: ("tasks:read" | "tasks:write" | "workflows:read" | "workflows:write" | "pipelines:read" | "pipelines:write" | "analytics:read" | "admin:full")[];
            /**
             * @default [
             *       "client_credentials"
             *     ]
             */
            grant_types: ("client_credentials" | "authorization_code" | "refresh_token" | "urn:ietf:params:oauth:grant-type:jwt-bearer")[];
            public_jwk?: {
                /** @enum {string} */
                kty: "RSA";
                n: string;
                e: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description RFC 7517 JSON Web Key Set */
        Jwks: {
            keys: ({
                kty: string;
                kid: string;
                alg?: string;
                use?: string;
            } & {
                [key: string]: unknown;
            })[];
        };
    };
    responses: {
        /** @description Malformed JSON (invalid_json) or invalid input (validation_error, names the field) */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Missing or invalid credentials */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The credential lacks the scope or role this route requires */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not found (including other accounts’ resources) */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Conflict: a duplicate, a stale version (If-Match), a reused Idempotency-Key, or a state that forbids it */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is over 1 MB (or a run input over 256 KB) */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Over the rate limit, or too many failed logins */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A bug: logged with its stack, answered without one */
        InternalError: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                RateLimit: components["headers"]["RateLimit"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description This request’s id; also `request_id` in errors and in the function’s log line */
        RequestId: string;
        /** @description Requests allowed in the current window */
        RateLimitLimit: number;
        /** @description Requests left in the current window (absent while the limiter is degraded) */
        RateLimitRemaining: number;
        /** @description UTC epoch seconds when the window ends */
        RateLimitReset: number;
        /** @description IETF draft-ietf-httpapi-ratelimit-headers: `"free";q=100;w=60` */
        RateLimitPolicy: string;
        /** @description IETF draft-ietf-httpapi-ratelimit-headers: `"free";r=87;t=42` */
        RateLimit: string;
        /** @description Seconds until the window ends */
        RetryAfter: number;
        /** @description The expected credential scheme */
        WwwAuthenticate: string;
        /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key */
        IdempotentReplayed: "true";
        /** @description The version, quoted: send it back in If-Match */
        ETag: string;
        /** @description Where the resource (or the redirect) is */
        Location: string;
        /** @description How long the answer may be cached */
        CacheControl: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    registerAtRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    loginAtRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    meAtRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listTasks: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description One of pending, in_progress, blocked, completed, cancelled; aliases: not_started → pending, active → in_progress */
                status?: "pending" | "in_progress" | "blocked" | "completed" | "cancelled" | "not_started" | "active";
                /** @description Only tasks of this priority */
                priority?: "low" | "medium" | "high" | "urgent";
                /** @description Only tasks carrying this tag */
                tag?: string;
                /** @description ISO 8601 date-time (e.g. 2025-12-31T23:59:59Z) or date */
                due_before?: string;
                /** @description Workflow tasks of this workflow’s latest run (FlowCtl) */
                workflow_id?: string;
                /** @description Workflow tasks of this execution */
                execution_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskList"] | components["schemas"]["WorkflowRunTaskPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTask"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The task’s id (task_…, or a run task’s id) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnyTask"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    replaceTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The task’s id (task_…, or a run task’s id) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTask"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The task’s id (task_…, or a run task’s id) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    patchTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The task’s id (task_…, or a run task’s id) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTask"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWorkflows: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description active, paused or archived filter by lifecycle (CloudFlow); pending, running, completed, failed, cancelled or timed_out by the status of the latest run (FlowCtl; never-run workflows match none of these) */
                status?: "active" | "paused" | "archived" | "pending" | "running" | "completed" | "failed" | "cancelled" | "timed_out";
                /** @description Only workflows carrying this tag (not combinable with a run status) */
                tag?: string;
                /** @description Only workflows created at or after this instant (ISO 8601) */
                created_after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createWorkflow: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWorkflowRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    publishWorkflow: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishWorkflow"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteWorkflow: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    patchWorkflow: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchWorkflow"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWorkflowsFlow: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description active, paused or archived filter by lifecycle (CloudFlow); pending, running, completed, failed, cancelled or timed_out by the status of the latest run (FlowCtl; never-run workflows match none of these) */
                status?: "active" | "paused" | "archived" | "pending" | "running" | "completed" | "failed" | "cancelled" | "timed_out";
                /** @description Only workflows carrying this tag (not combinable with a run status) */
                tag?: string;
                /** @description Only workflows created at or after this instant (ISO 8601) */
                created_after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createWorkflowFlow: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWorkflowRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getWorkflowFlow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    publishWorkflowFlow: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishWorkflow"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteWorkflowFlow: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    patchWorkflowFlow: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchWorkflow"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWorkflowVersions: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
            };
            header?: never;
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWorkflowTasks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowTaskList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    validateWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWorkflowRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowValidation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    runWorkflow: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RunWorkflow"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    Location: components["headers"]["Location"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    runFlow: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RunWorkflow"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    Location: components["headers"]["Location"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    executeProcess: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The process’s id: a workflow id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RunWorkflow"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    Location: components["headers"]["Location"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    cancelWorkflowRuns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listExecutions: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description Only executions of this workflow */
                workflow_id?: string;
                /** @description FlowRunner alias of workflow_id */
                flow_id?: string;
                /** @description Only the child executions this execution’s subworkflow nodes started */
                parent_execution_id?: string;
                /** @description Only executions in this status */
                status?: "pending" | "running" | "completed" | "failed" | "cancelled" | "timed_out";
                /** @description Created at or after */
                start_date?: string;
                /** @description Created at or before */
                end_date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution’s id (exec_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    cancelExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution’s id (exec_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    retryExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution’s id (exec_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listExecutionTasks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution’s id (exec_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowRunTaskList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listApprovals: {
        parameters: {
            query?: {
                /** @description Only this execution’s pending approvals */
                execution_id?: string;
                /** @description At most this many, oldest request first (default 50, at most 100) */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    decideApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution’s id (exec_…) */
                id: string;
                /** @description The approval node’s id */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalDecisionRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalDecision"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listExecutionLogs: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description Only lines of this level */
                level?: "debug" | "info" | "warn" | "error";
            };
            header?: never;
            path: {
                /** @description The execution’s id (exec_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionLogs"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPipelineExecutions: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description Only executions in this status */
                status?: "pending" | "running" | "completed" | "failed" | "cancelled" | "timed_out";
                /** @description ISO 8601 date-time (e.g. 2025-12-31T23:59:59Z) or date */
                start_date?: string;
                /** @description ISO 8601 date-time (e.g. 2025-12-31T23:59:59Z) or date */
                end_date?: string;
            };
            header?: never;
            path: {
                /** @description The pipeline’s id: a workflow id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    runWebhook: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description The webhook-triggered workflow’s id (wf_…) */
                workflow_id: string;
                /** @description The webhook token shown once when the trigger was created or rotated */
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookTriggerBody"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    Location: components["headers"]["Location"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateWebhookToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listProcesses: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcessList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Metrics"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getWorkflowAnalytics: {
        parameters: {
            query: {
                /** @description Time window ending now */
                period: "1h" | "24h" | "7d" | "30d";
                /** @description Comma-separated subset of execution_count, success_rate, avg_duration, error_count, throughput (default: all) */
                metrics?: string;
            };
            header?: never;
            path: {
                /** @description The workflow’s id (wf_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowAnalytics"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    chat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getChatSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat session’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatSession"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhook"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook’s id (whk_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The webhook’s id (whk_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    patchWebhook: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version (revision) you read, as its ETag ("3"): the write fails with 409 if it changed since */
                "If-Match"?: string;
            };
            path: {
                /** @description The webhook’s id (whk_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhook"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description Only deliveries in this status */
                status?: "pending" | "delivered" | "dead_lettered";
            };
            header?: never;
            path: {
                /** @description The webhook’s id (whk_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook’s id (whk_…) */
                id: string;
                /** @description The delivery’s id (dlv_…) */
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook’s id (whk_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listEmailTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplateList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createEmailTemplate: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEmailTemplate"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The template’s id, named by send_email’s template_id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    putEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The template’s id, named by send_email’s template_id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutEmailTemplate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplate"];
                };
            };
            /** @description Created under that id */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The template’s id, named by send_email’s template_id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listOutbox: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listDataSources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataSourceList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createDataSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDataSource"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataSource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getDataSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description What fetch_data names as its source */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataSource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteDataSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description What fetch_data names as its source */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    patchDataSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description What fetch_data names as its source */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchDataSource"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataSource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    healthAtRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            500: components["responses"]["InternalError"];
            /** @description A dependency failed its check */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            500: components["responses"]["InternalError"];
            /** @description A dependency failed its check */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenApiDocument"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    docs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    openapiRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenApiDocument"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    swaggerUi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    redoc: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    docsAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The asset’s file name */
                file: "swagger-initializer.js" | "swagger-ui-bundle.js" | "swagger-ui-standalone-preset.js" | "swagger-ui.css" | "redoc.standalone.js";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
                /** @description Only users with this role */
                role?: "admin" | "member" | "viewer" | "platform_admin";
                /** @description Only active (true) or deactivated (false) users */
                active?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUser"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagedUser"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user’s id (usr_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagedUser"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    replaceUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user’s id (usr_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUser"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagedUser"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user’s id (usr_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    patchUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user’s id (usr_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUser"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagedUser"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listAccounts: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createAccount: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key and body within 24 hours return the first result instead of creating again; the same key with another body is a 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAccount"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedAccount"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account’s id (acct_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    updateAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account’s id (acct_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAccount"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account’s id (acct_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listSecrets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account’s id (acct_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account’s id (acct_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSecret"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    replaceSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account’s id (acct_…) */
                id: string;
                /** @description Env-var style name, referenced in workflows as {{secrets.KEY}} */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplaceSecret"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The account’s id (acct_…) */
                id: string;
                /** @description Env-var style name, referenced in workflows as {{secrets.KEY}} */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description Items per page (default 20, at most 100) */
                limit?: number;
                /** @description Items to skip (default 0) */
                offset?: number | null;
                /** @description The opaque pagination.next_cursor of the previous page (offset is then ignored) */
                cursor?: string;
                /** @description Page number, 1-based (AstraFlow/FlowCtl alias of offset) */
                page?: number;
                /** @description Alias of limit (AstraFlow) */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKey"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The API key’s id (key_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    tokenAtRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description RFC 6749 §5.2 error (invalid_request, invalid_grant, unsupported_grant_type, …), or a body that is not a flat object (the API’s error shape) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"] | components["schemas"]["Error"];
                };
            };
            /** @description RFC 6749 §5.2 invalid_client */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description RFC 6749 §5.2 error (invalid_request, invalid_grant, unsupported_grant_type, …), or a body that is not a flat object (the API’s error shape) */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"] | components["schemas"]["Error"];
                };
            };
            /** @description RFC 6749 §5.2 invalid_client */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    authorizeRedirect: {
        parameters: {
            query: {
                /** @description Always code (the authorization-code flow) */
                response_type: "code";
                /** @description The OAuth client asking for access */
                client_id: string;
                /** @description One of the client’s registered redirect URIs */
                redirect_uri: string;
                /** @description Space-separated scopes (default: all of the client’s that you hold) */
                scope?: string;
                /** @description Returned unchanged with the code */
                state?: string;
                /** @description PKCE S256 challenge. Optional: without it the code is redeemed with client_secret and no code_verifier */
                code_challenge?: string;
                /** @description S256 (the only method; the default when code_challenge is given) */
                code_challenge_method?: "S256";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            302: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    authorize: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthorizeRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthorizeResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listClients: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthClientList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createClient: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOAuthClient"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedOAuthClient"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The OAuth client’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "X-RateLimit-Limit": components["headers"]["RateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["RateLimitReset"];
                    "RateLimit-Policy": components["headers"]["RateLimitPolicy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
}
