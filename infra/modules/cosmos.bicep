// Cosmos DB for NoSQL: the metadata store. One write region, Strong consistency (read-after-write and
// list-after-write everywhere), keys disabled: the Function App reaches it with its managed identity
// through the data-plane role assignment in roles.bicep.
//
// Container names, partition keys and indexing policies mirror R2Meta.Storage.Cosmos.CosmosModel;
// tests/R2Meta.Infra.Tests compares the compiled template with that class.

@description('Cosmos DB account name: 3-44 lowercase letters, digits and hyphens.')
@minLength(3)
@maxLength(44)
param accountName string

@description('Azure region: the single (write) region of the account.')
param location string

@description('SQL database name (CosmosModel.DatabaseName, R2META_COSMOS_DATABASE).')
param databaseName string

@description('Serverless (pay per request) or provisioned autoscale throughput shared by the database.')
param serverless bool

@description('Autoscale maximum RU/s of the database when not serverless.')
@minValue(1000)
param autoscaleMaxThroughput int

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Strong'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    enableMultipleWriteLocations: false
    enableAutomaticFailover: false
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

// CosmosModel.Objects: one document per object, plus the directory index's documents (kind 'dir'),
// hierarchical partition key /bucket, /shard (ObjectPartitioning): a bucket spans many logical and physical
// partitions; point operations name both levels, listings the bucket (a prefix). Containers created before
// layout 2 have /bucket alone; the app detects that (R2META_COSMOS_OBJECTS_LAYOUT, docs/capacity.md). ReadRangeAsync filters on bucket and kind and orders by sortKey;
// ReadDirectoryAsync filters on bucket and level and orders by level, sortKey (the composite index);
// DeleteBucketAsync finds directory documents by kind. Nothing else is indexed.
resource objectsContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'objects'
  properties: {
    resource: {
      id: 'objects'
      partitionKey: {
        paths: [
          '/bucket'
          '/shard'
        ]
        kind: 'MultiHash'
        version: 2
      }
      indexingPolicy: {
        automatic: true
        indexingMode: 'consistent'
        includedPaths: [
          { path: '/bucket/?' }
          { path: '/sortKey/?' }
          { path: '/level/?' }
          { path: '/kind/?' }
          { path: '/pending/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
        compositeIndexes: [
          [
            { path: '/level', order: 'ascending' }
            { path: '/sortKey', order: 'ascending' }
          ]
        ]
      }
    }
  }
}

// CosmosModel.Buckets: one document per bucket (id = bucket name); ListBuckets filters on ownerId.
resource bucketsContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'buckets'
  properties: {
    resource: {
      id: 'buckets'
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        automatic: true
        indexingMode: 'consistent'
        includedPaths: [
          { path: '/ownerId/?' }
          { path: '/notifying/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
      }
    }
  }
}

// CosmosModel.Uploads: in-progress multipart uploads, one upload document plus one document per part
// (told apart by type) in the bucket's partition. Queries filter on bucket, type, uploadId, partNumber
// and initiatedMs (the expiry job); nothing else is indexed.
resource uploadsContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'uploads'
  properties: {
    resource: {
      id: 'uploads'
      partitionKey: {
        paths: [
          '/bucket'
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        automatic: true
        indexingMode: 'consistent'
        includedPaths: [
          { path: '/bucket/?' }
          { path: '/type/?' }
          { path: '/uploadId/?' }
          { path: '/partNumber/?' }
          { path: '/initiatedMs/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
      }
    }
  }
}

// CosmosModel.Keys: one document per access key (id = key id, partition key /id), its secret sealed with
// R2META_KEY_ENCRYPTION_KEY. Read by id and listed whole (ordered by id, always indexed): nothing else is indexed.
resource keysContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'keys'
  properties: {
    resource: {
      id: 'keys'
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        automatic: true
        indexingMode: 'consistent'
        includedPaths: []
        excludedPaths: [
          { path: '/*' }
        ]
      }
    }
  }
}

output name string = account.name
output id string = account.id
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
