import type { DataSourceService } from '../core/data-sources/data-source-service.ts';
import { operation, type Operation } from '../http/operation.ts';
import { CreateDataSourceBody, DataSourceListSchema, DataSourcePath, DataSourceSchema, PatchDataSourceBody, dataSourceView } from './data-source-schemas.ts';

/** `/data-sources` (what fetch_data reads); merged into the workflows resource. */
export function dataSourceOperations(service: () => DataSourceService): Record<string, Operation> {
  return {
    listDataSources: operation({ response: DataSourceListSchema, description: 'The account’s data sources by name (local mode: the built-in `local` Postgres first).' }, async ({ principal }) => ({
      status: 200,
      body: { data: (await service().list(principal)).map(dataSourceView) },
    })),

    createDataSource: operation(
      { body: CreateDataSourceBody, response: DataSourceSchema, status: 201, description: 'Create a source. A credential in plain text (a URL password, a credential header) is a 400: use {{secrets.KEY}}. 409 if the name exists.' },
      async ({ principal, body }) => ({ status: 201, body: dataSourceView(await service().create(principal, body)) }),
    ),

    getDataSource: operation({ params: DataSourcePath, response: DataSourceSchema }, async ({ principal, params }) => ({
      status: 200,
      body: dataSourceView(await service().get(principal, params.name)),
    })),

    patchDataSource: operation({ params: DataSourcePath, body: PatchDataSourceBody, response: DataSourceSchema, errors: [409], description: 'Change fields; null removes an optional one. The built-in `local` source cannot be changed (409).' }, async ({ principal, params, body }) => ({
      status: 200,
      body: dataSourceView(await service().patch(principal, params.name, body)),
    })),

    deleteDataSource: operation({ params: DataSourcePath, status: 204, errors: [409] }, async ({ principal, params }) => {
      await service().delete(principal, params.name);
      return { status: 204 };
    }),
  };
}
