/**
 * The single-table layout. CDK (lib/data-stack.ts), local mode (bin/local.ts) and the DynamoDB
 * adapters all read this one object, so the deployed table and the local one cannot drift.
 * Pure data: no CDK or SDK imports.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  /**
   * The change stream domain events are derived from (lib/events-stack.ts, local-table-stream.ts):
   * both images, so a consumer sees what changed (old status → new status) without reading the table.
   */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  /** Overloaded GSIs: each entity decides what its gsiNpk/gsiNsk mean (see functions/adapters/dynamodb/keys.ts). */
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** Sparse: only child executions (subworkflow runs) carry gsi4pk, their parent's. */
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  ],
} as const;

export type IndexName = (typeof TABLE.globalSecondaryIndexes)[number]['indexName'];
